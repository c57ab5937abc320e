package dev.userapi.webhooks;

import dev.userapi.core.aws.AwsClients;
import dev.userapi.core.config.AppConfig;
import dev.userapi.core.http.Cors;
import dev.userapi.core.user.AuditRepository;
import dev.userapi.webhooks.delivery.AddressGuard;
import dev.userapi.webhooks.delivery.DeliveryQueue;
import dev.userapi.webhooks.delivery.KmsSecretCipher;
import dev.userapi.webhooks.delivery.SecretCipher;
import dev.userapi.webhooks.delivery.SqsDeliveryQueue;
import dev.userapi.webhooks.delivery.WebhookRepository;
import dev.userapi.webhooks.events.EventBridgeBus;
import dev.userapi.webhooks.events.EventBus;
import java.time.Clock;
import java.util.Map;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.eventbridge.EventBridgeClient;
import software.amazon.awssdk.services.kms.KmsClient;
import software.amazon.awssdk.services.sqs.SqsClient;

/**
 * The composition root of the event and webhook functions: reads the environment once ({@link AppConfig},
 * {@link WebhookConfig}) and builds only the clients the function asks for (the publisher has no table, KMS or queue
 * variables; a route function no bus).
 */
public final class WebhookComponents {
    private final AppConfig config;
    private final WebhookConfig webhooks;
    private final Clock clock = Clock.systemUTC();

    private WebhookComponents(AppConfig config, WebhookConfig webhooks) {
        this.config = config;
        this.webhooks = webhooks;
    }

    public static WebhookComponents from(Map<String, String> env) {
        return new WebhookComponents(AppConfig.from(env), WebhookConfig.from(env));
    }

    public AppConfig config() {
        return config;
    }

    public WebhookConfig webhooks() {
        return webhooks;
    }

    public Clock clock() {
        return clock;
    }

    public Cors cors() {
        return Cors.from(config);
    }

    public EventBus bus() {
        String name = WebhookConfig.require(webhooks.eventBusName(), "EVENT_BUS_NAME");
        EventBridgeClient client = AwsClients.configure(EventBridgeClient.builder(), config, webhooks.eventsEndpoint()).build();
        return new EventBridgeBus(client, name);
    }

    public WebhookRepository repository() {
        DynamoDbClient db = AwsClients.dynamoDb(config);
        return new WebhookRepository(db, config.tableName(), clock);
    }

    public SecretCipher cipher() {
        String keyId = WebhookConfig.require(webhooks.keyId(), "WEBHOOK_KEY_ID");
        KmsClient client = AwsClients.configure(KmsClient.builder(), config, webhooks.kmsEndpoint()).build();
        return new KmsSecretCipher(client, keyId);
    }

    public DeliveryQueue queue() {
        String url = WebhookConfig.require(webhooks.deliveryQueueUrl(), "DELIVERY_QUEUE_URL");
        SqsClient client = AwsClients.configure(SqsClient.builder(), config, webhooks.sqsEndpoint()).build();
        return new SqsDeliveryQueue(client, url);
    }

    /** The routes' service: the KMS client only where {@code withCipher}, the queue only where {@code withQueue}. */
    public WebhookService service(boolean withCipher, boolean withQueue) {
        SecretCipher secretCipher = withCipher ? cipher() : null;
        DeliveryQueue deliveryQueue = withQueue ? queue() : null;
        DynamoDbClient db = AwsClients.dynamoDb(config);
        return new WebhookService(new WebhookRepository(db, config.tableName(), clock), guard(),
                () -> java.util.Objects.requireNonNull(secretCipher, "no KMS key in this function"),
                () -> java.util.Objects.requireNonNull(deliveryQueue, "no queue in this function"), new AuditRepository(db, config.tableName()), clock);
    }

    public AddressGuard guard() {
        return new AddressGuard(webhooks.allowLoopback(), AddressGuard.SYSTEM_DNS);
    }
}

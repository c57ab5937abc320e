package dev.userapi.webhooks;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;

import java.util.Map;

/**
 * {@code POST /webhooks/{id}/deliveries/{deliveryId}/retry}: one more attempt of a delivery, queued now (202).
 * Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class RetryWebhookDeliveryHandler extends ApiHandler {
    private final WebhookService webhooks;

    /** Used by the Lambda runtime: wired from the process environment. */
    public RetryWebhookDeliveryHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public RetryWebhookDeliveryHandler(Map<String, String> env) {
        this(WebhookComponents.from(env));
    }

    private RetryWebhookDeliveryHandler(WebhookComponents c) {
        this(c.service(false, true), c.cors());
    }

    RetryWebhookDeliveryHandler(WebhookService webhooks, Cors cors) {
        super(cors);
        this.webhooks = webhooks;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var actor = request.admin();
        request.requireNoBody();
        webhooks.retry(actor, request.pathParameter("id"), request.pathParameter("deliveryId"));
        return ApiResponse.accepted(Map.of("status", "queued"));
    }
}

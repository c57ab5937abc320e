package dev.userapi.webhooks;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;

import java.util.Map;

/** {@code GET /webhooks}: the registered webhooks, without secrets. Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class ListWebhooksHandler extends ApiHandler {
    private final WebhookService webhooks;

    /** Used by the Lambda runtime: wired from the process environment. */
    public ListWebhooksHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public ListWebhooksHandler(Map<String, String> env) {
        this(WebhookComponents.from(env));
    }

    private ListWebhooksHandler(WebhookComponents c) {
        this(c.service(false, false), c.cors());
    }

    ListWebhooksHandler(WebhookService webhooks, Cors cors) {
        super(cors);
        this.webhooks = webhooks;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        request.admin();
        request.requireNoBody();
        return ApiResponse.ok(Map.of("items", webhooks.list().stream().map(WebhookJson::of).toList()));
    }
}

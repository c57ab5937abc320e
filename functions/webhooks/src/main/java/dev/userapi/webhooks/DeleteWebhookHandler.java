package dev.userapi.webhooks;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;

import java.util.Map;

/** {@code DELETE /webhooks/{id}}: no more deliveries to it (its records expire). Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class DeleteWebhookHandler extends ApiHandler {
    private final WebhookService webhooks;

    /** Used by the Lambda runtime: wired from the process environment. */
    public DeleteWebhookHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public DeleteWebhookHandler(Map<String, String> env) {
        this(WebhookComponents.from(env));
    }

    private DeleteWebhookHandler(WebhookComponents c) {
        this(c.service(false, false), c.cors());
    }

    DeleteWebhookHandler(WebhookService webhooks, Cors cors) {
        super(cors);
        this.webhooks = webhooks;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        var actor = request.admin();
        request.requireNoBody();
        webhooks.delete(actor, request.pathParameter("id"));
        return ApiResponse.noContent();
    }
}

package dev.userapi.webhooks;

import dev.userapi.core.http.ApiHandler;
import dev.userapi.core.http.ApiRequest;
import dev.userapi.core.http.ApiResponse;
import dev.userapi.core.http.Cors;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code GET /webhooks/{id}/deliveries}: its attempts, newest first, paged. Needs the {@code admin} role (the authorizer's policy, checked again here). */
public final class ListWebhookDeliveriesHandler extends ApiHandler {
    private final WebhookService webhooks;

    /** Used by the Lambda runtime: wired from the process environment. */
    public ListWebhookDeliveriesHandler() {
        this(System.getenv());
    }

    /** Wired from {@code env}: the function's environment, read once (the local stack passes each function its own). */
    public ListWebhookDeliveriesHandler(Map<String, String> env) {
        this(WebhookComponents.from(env));
    }

    private ListWebhookDeliveriesHandler(WebhookComponents c) {
        this(c.service(false, false), c.cors());
    }

    ListWebhookDeliveriesHandler(WebhookService webhooks, Cors cors) {
        super(cors);
        this.webhooks = webhooks;
    }

    @Override
    protected ApiResponse handle(ApiRequest request) {
        request.admin();
        request.requireNoBody();
        var page = webhooks.deliveries(request.pathParameter("id"), request.queryParameters());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("items", page.items().stream().map(WebhookJson::of).toList());
        body.put("nextCursor", page.nextCursor());
        return ApiResponse.ok(body);
    }
}

package dev.userapi.local.template;

import java.util.List;
import java.util.Map;

/**
 * One {@code AWS::Serverless::Function} after {@code Globals} were merged in and its environment
 * evaluated: what the local Lambda runtime needs to construct and call its handler.
 *
 * @param handler     {@code package.Class::method}, as in the template
 * @param environment the function's variables as CloudFormation would set them (Globals + its own)
 * @param apiEvents   its {@code Type: Api} events: the routes it serves
 */
public record FunctionDefinition(
        String logicalId,
        String handler,
        String codeUri,
        String runtime,
        int timeoutSeconds,
        int memorySizeMb,
        Map<String, String> environment,
        List<ApiEvent> apiEvents) {

    public FunctionDefinition {
        environment = Map.copyOf(environment);
        apiEvents = List.copyOf(apiEvents);
    }

    /** The handler's class name (the part before {@code ::}). */
    public String handlerClass() {
        int separator = handler.indexOf("::");
        return separator < 0 ? handler : handler.substring(0, separator);
    }

    /** The handler's method name; {@code handleRequest} when the template names only the class. */
    public String handlerMethod() {
        int separator = handler.indexOf("::");
        return separator < 0 ? "handleRequest" : handler.substring(separator + 2);
    }
}

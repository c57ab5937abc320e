package dev.userapi.bench;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayCustomAuthorizerEvent;
import com.amazonaws.services.lambda.runtime.events.IamPolicyResponseV1;
import dev.userapi.authorizer.AuthorizerHandler;

/**
 * The "before" of the authorizer's streaming entry point: the same handler behind a typed
 * {@code RequestHandler}, so the Lambda runtime's own serialisation reads the event and writes the policy.
 * Only the cold-start benchmark uses it.
 */
public final class TypedAuthorizerHandler implements RequestHandler<APIGatewayCustomAuthorizerEvent, IamPolicyResponseV1> {
    private final AuthorizerHandler delegate = new AuthorizerHandler();

    @Override
    public IamPolicyResponseV1 handleRequest(APIGatewayCustomAuthorizerEvent event, Context context) {
        return delegate.authorize(event, context);
    }
}

package dev.userapi.core.testing;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.withSettings;

import java.util.function.Consumer;
import org.mockito.Answers;
import org.mockito.stubbing.Answer;

/**
 * Mocks of AWS SDK v2 clients at the SDK boundary. The clients' consumer-builder overloads
 * ({@code client.signUp(r -> r...)}) are default methods that build the request and call the
 * request overload; this mock lets them do so, so tests stub and verify the request overloads.
 */
public final class SdkMocks {
    private SdkMocks() {
    }

    public static <T> T client(Class<T> type) {
        Answer<Object> answer = invocation -> {
            Object[] args = invocation.getArguments();
            if (invocation.getMethod().isDefault() && args.length == 1 && args[0] instanceof Consumer<?>) {
                return invocation.callRealMethod();
            }
            return Answers.RETURNS_DEFAULTS.answer(invocation);
        };
        return mock(type, withSettings().defaultAnswer(answer));
    }
}

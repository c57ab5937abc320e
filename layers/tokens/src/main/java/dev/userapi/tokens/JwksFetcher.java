package dev.userapi.tokens;

import java.io.IOException;
import java.net.URI;

/** Downloads a JWKS document. Implementations bound the time and the size of what they read. */
@FunctionalInterface
public interface JwksFetcher {
    /**
     * @return the body of a 200 response
     * @throws IOException on any failure: connect or read timeout, status other than 200, body too large
     */
    byte[] fetch(URI url) throws IOException;
}

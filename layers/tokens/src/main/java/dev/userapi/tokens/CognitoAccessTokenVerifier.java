package dev.userapi.tokens;

import static dev.userapi.tokens.TokenInvalidException.Reason.BAD_ALGORITHM;
import static dev.userapi.tokens.TokenInvalidException.Reason.BAD_SIGNATURE;
import static dev.userapi.tokens.TokenInvalidException.Reason.EXPIRED;
import static dev.userapi.tokens.TokenInvalidException.Reason.ISSUED_IN_FUTURE;
import static dev.userapi.tokens.TokenInvalidException.Reason.MALFORMED;
import static dev.userapi.tokens.TokenInvalidException.Reason.MISSING_CLAIM;
import static dev.userapi.tokens.TokenInvalidException.Reason.NOT_YET_VALID;
import static dev.userapi.tokens.TokenInvalidException.Reason.UNKNOWN_KEY;
import static dev.userapi.tokens.TokenInvalidException.Reason.UNSUPPORTED_HEADER;
import static dev.userapi.tokens.TokenInvalidException.Reason.WRONG_CLIENT;
import static dev.userapi.tokens.TokenInvalidException.Reason.WRONG_ISSUER;
import static dev.userapi.tokens.TokenInvalidException.Reason.WRONG_TOKEN_USE;

import com.auth0.jwt.JWT;
import com.auth0.jwt.JWTVerifier;
import com.auth0.jwt.exceptions.AlgorithmMismatchException;
import com.auth0.jwt.exceptions.IncorrectClaimException;
import com.auth0.jwt.exceptions.JWTVerificationException;
import com.auth0.jwt.exceptions.MissingClaimException;
import com.auth0.jwt.exceptions.SignatureVerificationException;
import com.auth0.jwt.exceptions.TokenExpiredException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.userapi.tokens.JwkSet.SigningKey;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Verifies Amazon Cognito <em>access</em> tokens (and cognito-local's, which have the same shape):
 * safe by default, every check always on, typed failures ({@link TokenInvalidException.Reason}).
 *
 * <p>What it checks, in order (all before any claim is trusted):
 * <ol>
 *   <li>Shape ({@link JwtParts}): at most {@value #MAX_TOKEN_LENGTH} characters before decoding; three
 *       canonical base64url segments; header and payload strict JSON objects (valid UTF-8, no
 *       duplicate names, nesting at most {@value StrictJson#MAX_DEPTH}).</li>
 *   <li>Header: {@code alg} exactly {@code RS256}; none of {@value #REFUSED_HEADERS_DOC}; {@code typ}
 *       absent or a JWT type; {@code kid} a string of 1..{@value #MAX_KID_LENGTH} characters, used only
 *       as a key into the configured JWKS — never a URL, path or query.</li>
 *   <li>Payload types: {@code iss}, {@code sub}, {@code token_use}, {@code client_id}, {@code exp},
 *       {@code iat} present; the strings are non-empty strings, the times ({@code exp}, {@code iat},
 *       {@code nbf}) JSON integers from 0 to year 9999 (RFC 7519 also allows fractions; Cognito never
 *       sends them); {@code username} and {@code jti}, if present,
 *       strings.</li>
 *   <li>Key: from the {@link JwksCache} of the configured JWKS URL (never from the token's
 *       {@code iss}, {@code jku}, {@code x5u}, {@code jwk} or {@code x5c}).</li>
 *   <li>java-jwt, with a {@link JWTVerifier} compiled once per key: the RS256 signature ({@link Rs256}, on
 *       ACCP when it loads, else the JDK's provider: {@link RsaProvider}),
 *       then {@code iss} equal to the configured issuer (exact string, so no trailing-slash or scheme
 *       tolerance), {@code token_use == access}, {@code client_id} one of the configured app clients,
 *       {@code exp}/{@code nbf}/{@code iat} against the injected clock with the leeway.</li>
 * </ol>
 * The pre-checks close what java-jwt leaves open (measured on 4.x: it accepts unknown {@code crit},
 * ignores {@code cty}, accepts a token without {@code exp}, treats a non-numeric {@code exp} as absent,
 * tolerates duplicate claims and non-canonical base64url).
 */
public final class CognitoAccessTokenVerifier {
    /** Tokens longer than this are refused before anything is decoded (a Cognito access token is ~1 KiB). */
    public static final int MAX_TOKEN_LENGTH = 8 * 1024;
    public static final int MAX_KID_LENGTH = 128;
    public static final Duration DEFAULT_LEEWAY = Duration.ofSeconds(5);
    public static final Duration MAX_LEEWAY = Duration.ofSeconds(60);
    public static final String ACCESS = "access";

    static final String REFUSED_HEADERS_DOC = "crit, cty, enc, zip, b64, jku, x5u, jwk, x5c";
    /** Header parameters that change how a token must be processed or where keys come from: refused. */
    private static final List<String> REFUSED_HEADERS = List.of("crit", "cty", "enc", "zip", "b64", "jku", "x5u", "jwk", "x5c");
    private static final Set<String> JWT_TYPES = Set.of("jwt", "application/jwt", "at+jwt", "application/at+jwt");
    private static final List<String> REQUIRED_STRINGS = List.of("iss", "sub", "token_use", "client_id");
    private static final List<String> REQUIRED_TIMES = List.of("exp", "iat");
    private static final List<String> TIMES = List.of("exp", "iat", "nbf", "auth_time");
    private static final List<String> OPTIONAL_STRINGS = List.of("username", "jti");
    /** 9999-12-31T23:59:59Z: larger NumericDates are nonsense and overflow {@code java.time}. */
    static final long MAX_NUMERIC_DATE = ClaimChecks.MAX_NUMERIC_DATE;

    private final String issuer;
    private final Set<String> clientIds;
    private final long leewaySeconds;
    private final Clock clock;
    private final JwksCache jwks;
    private final RsaProvider rsa;
    /** One compiled java-jwt verifier per signing key (bounded by the JWKS: unknown kids never get here). */
    private final Map<String, Compiled> compiled = new ConcurrentHashMap<>();
    /** Verified tokens' headers, parsed once ({@link HeaderCache}: only after every check passed, bounded, unmodifiable). */
    private final HeaderCache headers = new HeaderCache();

    private record Compiled(SigningKey key, JWTVerifier verifier) {
    }

    private CognitoAccessTokenVerifier(Builder b) {
        this.issuer = b.issuer;
        this.clientIds = b.clientIds;
        this.leewaySeconds = b.leeway.toSeconds();
        this.clock = b.clock;
        this.jwks = b.jwksCache != null ? b.jwksCache
                : new JwksCache(b.jwksUrl, b.fetcher, b.clock);
        this.rsa = b.rsa != null ? b.rsa : RsaProvider.preferNative();
    }

    /**
     * @param issuer    the exact {@code iss} of the tokens: {@code https://cognito-idp.<region>.amazonaws.com/<poolId>}
     *                  or cognito-local's {@code http://localhost:<port>/<poolId>}
     * @param clientIds the app clients whose tokens are accepted (at least one)
     */
    public static Builder builder(String issuer, Collection<String> clientIds) {
        return new Builder(issuer, clientIds);
    }

    /** The JWKS URL used when none is configured: {@code <issuer>/.well-known/jwks.json}, as Cognito publishes it. */
    public static URI defaultJwksUrl(String issuer) {
        return URI.create(issuer + "/.well-known/jwks.json");
    }

    public String issuer() {
        return issuer;
    }

    public JwksCache jwks() {
        return jwks;
    }

    /** The provider that verifies signatures (ACCP, or the JDK's as a fallback). */
    public RsaProvider rsaProvider() {
        return rsa;
    }

    /**
     * Verifies {@code token} (the compact JWS, without {@code Bearer }).
     *
     * @throws TokenInvalidException if it must not be accepted, for the reason given
     */
    public VerifiedAccessToken verify(String token) {
        JwtParts parts = JwtParts.decompose(token, MAX_TOKEN_LENGTH, headers);
        String kid = checkHeader(parts.header()); // a cached header too: the same checks on the same tree
        ObjectNode claims = parts.payload();
        checkClaimTypes(claims);
        JWTVerifier verifier = verifierFor(jwks.key(kid));
        try {
            verifier.verify(parts); // the strict parse, not a second decode (JwtParts is java-jwt's DecodedJWT)
        } catch (JWTVerificationException e) {
            throw translate(e);
        } catch (RuntimeException e) {
            // java-jwt is only ever supposed to throw the above; anything else is still a refusal
            throw new TokenInvalidException(MALFORMED, "java-jwt failed: " + e.getClass().getSimpleName());
        }
        String sub = claims.get("sub").textValue();
        JsonNode username = claims.get("username");
        JsonNode jti = claims.get("jti");
        JsonNode authTime = claims.get("auth_time");
        JsonNode originJti = claims.get("origin_jti");
        VerifiedAccessToken verified = new VerifiedAccessToken(
                sub,
                username == null ? sub : username.textValue(),
                claims.get("client_id").textValue(),
                claims.get("iat").longValue(),
                claims.get("exp").longValue(),
                jti == null ? Optional.empty() : Optional.of(jti.textValue()),
                authTime == null ? 0L : authTime.longValue(),
                originJti != null && originJti.isTextual() ? Optional.of(originJti.textValue()) : Optional.empty());
        headers.remember(parts); // every check passed: its header may be reused (never before this point)
        return verified;
    }

    /** The cache of verified headers (tests, and the benchmark's decode stage). */
    HeaderCache headers() {
        return headers;
    }

    /**
     * Loads the JWKS (ignoring the penalty box), compiles a verifier per key and runs the verification
     * path once with a throw-away token, so that the first real request finds keys, classes and JIT
     * state ready. For initialisation and SnapStart's {@code beforeCheckpoint}. Never throws.
     *
     * @return whether signing keys are cached
     */
    public boolean prime() {
        boolean loaded = jwks.load();
        if (loaded) {
            warm();
        }
        return loaded;
    }

    private void warm() {
        for (String kid : jwks.kids()) {
            try {
                verify(warmUpToken(kid));
            } catch (TokenInvalidException expected) {
                // BAD_SIGNATURE: the whole path up to and including RSA verification has run
            } catch (RuntimeException e) {
                // warming must never break start-up
            }
        }
    }

    private String warmUpToken(String kid) {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        long now = clock.instant().getEpochSecond();
        String header = "{\"alg\":\"RS256\",\"kid\":" + quote(kid) + "}";
        String payload = "{\"iss\":" + quote(issuer) + ",\"sub\":\"warm-up\",\"token_use\":\"access\",\"client_id\":"
                + quote(clientIds.iterator().next()) + ",\"iat\":" + now + ",\"exp\":" + (now + 60) + "}";
        return b64.encodeToString(header.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
                + b64.encodeToString(new byte[256]);
    }

    private static String quote(String s) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(s).toString();
    }

    static String checkHeader(ObjectNode header) {
        JsonNode alg = header.get("alg");
        if (alg == null || !alg.isTextual() || !"RS256".equals(alg.textValue())) {
            throw new TokenInvalidException(BAD_ALGORITHM, "alg is not RS256");
        }
        for (String name : REFUSED_HEADERS) {
            if (header.has(name)) {
                throw new TokenInvalidException(UNSUPPORTED_HEADER, "header has " + name);
            }
        }
        JsonNode typ = header.get("typ");
        if (typ != null && !(typ.isTextual() && JWT_TYPES.contains(typ.textValue().toLowerCase(Locale.ROOT)))) {
            throw new TokenInvalidException(UNSUPPORTED_HEADER, "typ is not a JWT type");
        }
        JsonNode kid = header.get("kid");
        if (kid == null) {
            throw new TokenInvalidException(UNKNOWN_KEY, "no kid");
        }
        if (!kid.isTextual()) {
            throw new TokenInvalidException(UNKNOWN_KEY, "kid is not a string");
        }
        String value = kid.textValue();
        if (value.isEmpty() || value.length() > MAX_KID_LENGTH) {
            throw new TokenInvalidException(UNKNOWN_KEY, "kid is empty or longer than " + MAX_KID_LENGTH);
        }
        return value;
    }

    private static void checkClaimTypes(ObjectNode claims) {
        ClaimChecks.check(claims, REQUIRED_STRINGS, REQUIRED_TIMES, TIMES, OPTIONAL_STRINGS);
    }

    private JWTVerifier verifierFor(SigningKey key) {
        Compiled c = compiled.get(key.kid());
        if (c == null || c.key() != key) {
            c = new Compiled(key, compile(key));
            compiled.put(key.kid(), c);
        }
        return c.verifier();
    }

    private JWTVerifier compile(SigningKey key) {
        return ((JWTVerifier.BaseVerification) JWT.require(new Rs256(key.publicKey(), rsa))
                .withIssuer(issuer)
                .withClaim("token_use", ACCESS)
                .withClaim("client_id", (claim, jwt) -> claim.asString() != null && clientIds.contains(claim.asString()))
                .withClaimPresence("sub")
                .withClaimPresence("exp")
                .withClaimPresence("iat")
                .acceptLeeway(leewaySeconds))
                .build(clock);
    }

    static TokenInvalidException translate(JWTVerificationException e) {
        if (e instanceof SignatureVerificationException) {
            return new TokenInvalidException(BAD_SIGNATURE, "signature does not verify");
        }
        if (e instanceof AlgorithmMismatchException) {
            return new TokenInvalidException(BAD_ALGORITHM, "alg does not match the key");
        }
        if (e instanceof TokenExpiredException) {
            return new TokenInvalidException(EXPIRED, "exp has passed");
        }
        if (e instanceof MissingClaimException m) {
            return new TokenInvalidException(MISSING_CLAIM, m.getClaimName() + " is missing");
        }
        if (e instanceof IncorrectClaimException i) {
            String claim = String.valueOf(i.getClaimName());
            return switch (claim) {
                case "iss" -> new TokenInvalidException(WRONG_ISSUER, "iss is not the configured issuer");
                case "token_use" -> new TokenInvalidException(WRONG_TOKEN_USE, "token_use is not access");
                case "client_id", "aud" -> new TokenInvalidException(WRONG_CLIENT, claim + " is not an allowed app client");
                case "nonce" -> new TokenInvalidException(TokenInvalidException.Reason.WRONG_NONCE, "nonce is not the sign-in's");
                case "nbf" -> new TokenInvalidException(NOT_YET_VALID, "nbf is in the future");
                case "iat" -> new TokenInvalidException(ISSUED_IN_FUTURE, "iat is in the future");
                default -> new TokenInvalidException(MALFORMED, claim + " is incorrect");
            };
        }
        return new TokenInvalidException(MALFORMED, "refused by java-jwt: " + e.getClass().getSimpleName());
    }

    /** Configuration; everything is checked, only the sources and the leeway can be chosen. */
    public static final class Builder {
        private final String issuer;
        private final Set<String> clientIds;
        private URI jwksUrl;
        private Duration leeway = DEFAULT_LEEWAY;
        private Clock clock = Clock.systemUTC();
        private JwksFetcher fetcher = new HttpJwksFetcher();
        private JwksCache jwksCache;
        private RsaProvider rsa;

        private Builder(String issuer, Collection<String> clientIds) {
            this.issuer = Objects.requireNonNull(issuer, "issuer");
            if (issuer.isBlank() || issuer.endsWith("/")) {
                throw new IllegalArgumentException("issuer must be non-blank and must not end with '/'");
            }
            this.clientIds = Set.copyOf(Objects.requireNonNull(clientIds, "clientIds"));
            if (this.clientIds.isEmpty() || this.clientIds.stream().anyMatch(String::isBlank)) {
                throw new IllegalArgumentException("at least one non-blank client id is required");
            }
            this.jwksUrl = defaultJwksUrl(issuer);
        }

        /** Where the keys come from (default {@code <issuer>/.well-known/jwks.json}). */
        public Builder jwksUrl(URI url) {
            this.jwksUrl = Objects.requireNonNull(url, "url");
            return this;
        }

        /** Clock skew tolerated on {@code exp}, {@code nbf} and {@code iat}: 0 to 60 s, default 5 s. */
        public Builder leeway(Duration leeway) {
            Objects.requireNonNull(leeway, "leeway");
            if (leeway.isNegative() || leeway.compareTo(MAX_LEEWAY) > 0 || leeway.getNano() != 0) {
                throw new IllegalArgumentException("leeway must be whole seconds between 0 and " + MAX_LEEWAY.toSeconds());
            }
            this.leeway = leeway;
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = Objects.requireNonNull(clock, "clock");
            return this;
        }

        /** How the JWKS is downloaded (default {@link HttpJwksFetcher} with its timeouts and size cap). */
        public Builder fetcher(JwksFetcher fetcher) {
            this.fetcher = Objects.requireNonNull(fetcher, "fetcher");
            return this;
        }

        /** Uses a ready cache (tests, or several verifiers sharing one JWKS); overrides url and fetcher. */
        public Builder jwksCache(JwksCache cache) {
            this.jwksCache = Objects.requireNonNull(cache, "cache");
            return this;
        }

        /** Which provider verifies signatures (default {@link RsaProvider#preferNative()}: ACCP, else the JDK's). */
        public Builder rsaProvider(RsaProvider provider) {
            this.rsa = Objects.requireNonNull(provider, "provider");
            return this;
        }

        public CognitoAccessTokenVerifier build() {
            return new CognitoAccessTokenVerifier(this);
        }
    }
}

package dev.userapi.local.gateway;

import dev.userapi.local.template.SamTemplate;
import dev.userapi.local.template.TemplateException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * The rate-based rules of the template's AWS WAF web ACL, applied as WAF applies them in front of the
 * stage (docs/SECURITY.md item 30): per client IP address ({@code AggregateKeyType: IP}: the address
 * the connection comes from, which is also API Gateway's {@code sourceIp}; never
 * {@code X-Forwarded-For}, which the template's rules do not trust — no {@code ForwardedIPConfig}),
 * counting the requests that match the rule's scope-down statement over the trailing
 * {@code EvaluationWindowSec}; a request that makes the count exceed {@code Limit} is blocked, and so
 * is every further one until the count in the window falls back. Rules run in priority order; a
 * request one rule blocks is not counted by later ones. Requests are counted before API Gateway sees
 * them (an unknown path counts too).
 *
 * <p>Emulated: {@code RateBasedStatement} with {@code AggregateKeyType: IP}, an optional
 * {@code ScopeDownStatement} that is a {@code ByteMatchStatement} on {@code UriPath}
 * ({@code CONTAINS}, {@code STARTS_WITH}, {@code ENDS_WITH}, {@code EXACTLY}; text transformations
 * {@code NONE}, {@code LOWERCASE}). Not emulated (passed): AWS's managed rule groups, whose contents
 * are AWS's. Any other rate rule fails the start-up rather than being silently skipped.
 */
public final class WebAcl {
    /** One rate-based rule; {@code response} is its {@code Block} action's custom response, if it has one. */
    public record RateRule(String name, int priority, long limit, long windowSeconds, Optional<ByteMatch> scopeDown,
                           Optional<BlockResponse> response) {
    }

    /**
     * A {@code Block} action's {@code CustomResponse}, which AWS WAF sends itself instead of letting the protected
     * resource answer (so API Gateway's {@code WAF_FILTERED} gateway response is not used): the status, the
     * headers as given and the body named by {@code CustomResponseBodyKey} with the content type WAF derives from
     * the body's {@code ContentType} (a custom response may not set {@code Content-Type} itself).
     */
    public record BlockResponse(int status, Map<String, String> headers, Optional<String> contentType, byte[] body) {
        public BlockResponse {
            headers = Map.copyOf(headers);
            body = body.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }
    }

    /** A request the web ACL blocked: the rule, and its custom response if it has one. */
    public record Block(String rule, Optional<BlockResponse> response) {
    }

    /** A byte-match on the URI path. */
    public record ByteMatch(String searchString, String constraint, boolean lowercase) {
        boolean matches(String path) {
            String value = lowercase ? path.toLowerCase(Locale.ROOT) : path;
            return switch (constraint) {
                case "CONTAINS" -> value.contains(searchString);
                case "STARTS_WITH" -> value.startsWith(searchString);
                case "ENDS_WITH" -> value.endsWith(searchString);
                case "EXACTLY" -> value.equals(searchString);
                default -> throw new IllegalStateException(constraint);
            };
        }
    }

    private static final WebAcl NONE = new WebAcl(List.of(), () -> 0);

    private final List<RateRule> rules;
    private final LongSupplier nanoTime;
    /** Per rule and address: the times of the newest {@code limit + 1} counted requests. */
    private final Map<String, ArrayDeque<Long>> counted = new ConcurrentHashMap<>();

    public WebAcl(List<RateRule> rules, LongSupplier nanoTime) {
        this.rules = rules.stream().sorted(Comparator.comparingInt(RateRule::priority)).toList();
        this.nanoTime = nanoTime;
    }

    /** No web ACL (the template's condition turned it off, or there is none). */
    public static WebAcl none() {
        return NONE;
    }

    public List<RateRule> rules() {
        return rules;
    }

    /**
     * Counts one request from {@code sourceIp} to {@code path}: the name of the rule that blocks it, or
     * empty when it may go on to API Gateway.
     */
    public Optional<String> evaluate(String sourceIp, String path) {
        return check(sourceIp, path).map(Block::rule);
    }

    /** Counts one request from {@code sourceIp} to {@code path}: how it is blocked, or empty when it may go on. */
    public Optional<Block> check(String sourceIp, String path) {
        long now = nanoTime.getAsLong();
        for (RateRule rule : rules) {
            if (rule.scopeDown().isPresent() && !rule.scopeDown().get().matches(path)) {
                continue;
            }
            ArrayDeque<Long> times = counted.computeIfAbsent(rule.name() + " " + sourceIp, k -> new ArrayDeque<>());
            boolean over;
            synchronized (times) {
                times.addLast(now);
                while (times.size() > rule.limit() + 1) {
                    times.removeFirst();
                }
                // more than `limit` requests in the trailing window: the (limit + 1)-th newest is within it
                over = times.size() > rule.limit() && now - times.peekFirst() < rule.windowSeconds() * 1_000_000_000L;
            }
            if (over) {
                return Optional.of(new Block(rule.name(), rule.response()));
            }
        }
        return Optional.empty();
    }

    /**
     * The template's web ACL (its {@code Condition} applied: none when {@code WafEnabled=false}), limits
     * from its parameters as overridden at start.
     */
    @SuppressWarnings("unchecked")
    public static WebAcl fromTemplate(SamTemplate template, LongSupplier nanoTime) {
        List<RateRule> rules = new ArrayList<>();
        for (String id : template.logicalIdsOfType("AWS::WAFv2::WebACL")) {
            Map<String, Object> acl = template.properties(id, java.util.Set.of("Rules", "CustomResponseBodies"));
            rules.addAll(rateRules((List<Object>) acl.getOrDefault("Rules", List.of()),
                    (Map<String, Object>) acl.getOrDefault("CustomResponseBodies", Map.of())));
        }
        return rules.isEmpty() ? none() : new WebAcl(rules, nanoTime);
    }

    /**
     * The rate-based rules of a web ACL's evaluated {@code Rules}, with its {@code CustomResponseBodies}; managed
     * rule groups are left out.
     */
    @SuppressWarnings("unchecked")
    public static List<RateRule> rateRules(List<Object> rules, Map<String, Object> bodies) {
        List<RateRule> out = new ArrayList<>();
        for (Object item : rules) {
            Map<String, Object> rule = (Map<String, Object>) item;
            Map<String, Object> statement = (Map<String, Object>) rule.getOrDefault("Statement", Map.of());
            Object rate = statement.get("RateBasedStatement");
            if (rate == null) {
                continue;
            }
            String name = String.valueOf(rule.get("Name"));
            Map<String, Object> rateStatement = (Map<String, Object>) rate;
            if (!"IP".equals(String.valueOf(rateStatement.getOrDefault("AggregateKeyType", "IP")))) {
                throw new TemplateException("WAF rule " + name + ": the local gateway emulates AggregateKeyType IP only");
            }
            Map<String, Object> action = (Map<String, Object>) rule.getOrDefault("Action", Map.of());
            if (!action.containsKey("Block")) {
                continue; // Count or CAPTCHA: never blocks by itself here
            }
            Optional<ByteMatch> scopeDown = Optional.empty();
            Object down = rateStatement.get("ScopeDownStatement");
            if (down != null) {
                scopeDown = Optional.of(byteMatch(name, (Map<String, Object>) down));
            }
            Object block = action.get("Block");
            Optional<BlockResponse> response = Optional.empty();
            if (block instanceof Map<?, ?> blockAction && blockAction.get("CustomResponse") != null) {
                response = Optional.of(customResponse(name, (Map<String, Object>) blockAction.get("CustomResponse"), bodies));
            }
            out.add(new RateRule(name, Integer.parseInt(String.valueOf(rule.getOrDefault("Priority", 0))),
                    Long.parseLong(String.valueOf(rateStatement.get("Limit"))),
                    Long.parseLong(String.valueOf(rateStatement.getOrDefault("EvaluationWindowSec", 300))), scopeDown, response));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static ByteMatch byteMatch(String rule, Map<String, Object> statement) {
        Map<String, Object> match = (Map<String, Object>) statement.get("ByteMatchStatement");
        if (match == null || !((Map<String, Object>) match.getOrDefault("FieldToMatch", Map.of())).containsKey("UriPath")) {
            throw new TemplateException("WAF rule " + rule + ": the local gateway emulates a scope-down ByteMatchStatement on UriPath only");
        }
        boolean lowercase = false;
        for (Object t : (List<Object>) match.getOrDefault("TextTransformations", List.of())) {
            String type = String.valueOf(((Map<String, Object>) t).get("Type"));
            if (type.equals("LOWERCASE")) {
                lowercase = true;
            } else if (!type.equals("NONE")) {
                throw new TemplateException("WAF rule " + rule + ": text transformation " + type + " is not emulated locally");
            }
        }
        String constraint = String.valueOf(match.get("PositionalConstraint"));
        if (!List.of("CONTAINS", "STARTS_WITH", "ENDS_WITH", "EXACTLY").contains(constraint)) {
            throw new TemplateException("WAF rule " + rule + ": positional constraint " + constraint + " is not emulated locally");
        }
        return new ByteMatch(String.valueOf(match.get("SearchString")), constraint, lowercase);
    }

    /** WAF's {@code CustomResponseBody} content types and the {@code Content-Type} it sends for each. */
    private static final Map<String, String> CONTENT_TYPES = Map.of(
            "APPLICATION_JSON", "application/json", "TEXT_PLAIN", "text/plain", "TEXT_HTML", "text/html");

    @SuppressWarnings("unchecked")
    private static BlockResponse customResponse(String rule, Map<String, Object> response, Map<String, Object> bodies) {
        int status = Integer.parseInt(String.valueOf(response.get("ResponseCode")));
        Map<String, String> headers = new java.util.LinkedHashMap<>();
        for (Object item : (List<Object>) response.getOrDefault("ResponseHeaders", List.of())) {
            Map<String, Object> header = (Map<String, Object>) item;
            String headerName = String.valueOf(header.get("Name"));
            if (headerName.equalsIgnoreCase("Content-Type")) {
                throw new TemplateException("WAF rule " + rule + ": a custom response may not set Content-Type (AWS WAF refuses it)");
            }
            if (headers.keySet().stream().anyMatch(headerName::equalsIgnoreCase)) {
                throw new TemplateException("WAF rule " + rule + ": duplicate custom response header " + headerName);
            }
            headers.put(headerName, String.valueOf(header.get("Value")));
        }
        Object key = response.get("CustomResponseBodyKey");
        if (key == null) {
            return new BlockResponse(status, headers, Optional.empty(), new byte[0]);
        }
        Map<String, Object> body = (Map<String, Object>) bodies.get(String.valueOf(key));
        if (body == null) {
            throw new TemplateException("WAF rule " + rule + ": no CustomResponseBodies entry " + key);
        }
        String contentType = CONTENT_TYPES.get(String.valueOf(body.get("ContentType")));
        if (contentType == null) {
            throw new TemplateException("WAF rule " + rule + ": unknown custom response content type " + body.get("ContentType"));
        }
        return new BlockResponse(status, headers, Optional.of(contentType),
                String.valueOf(body.get("Content")).getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}

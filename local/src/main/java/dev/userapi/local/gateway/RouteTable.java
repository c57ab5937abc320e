package dev.userapi.local.gateway;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the route of a request the way API Gateway picks a resource: segment by segment, a literal
 * segment before a {@code {parameter}}, a greedy {@code {name+}} last; then the method, or
 * {@code ANY}. A path without a resource, or a resource without the method, has no route (API
 * Gateway then answers {@code MISSING_AUTHENTICATION_TOKEN}).
 */
public final class RouteTable {
    /** A route that matched, with its path parameters (decoded). */
    public record Match(Route route, Map<String, String> pathParameters) {
    }

    private final List<Route> routes;

    public RouteTable(List<Route> routes) {
        this.routes = routes.stream()
                .sorted(Comparator.comparing((Route r) -> specificity(r.resource())).reversed())
                .toList();
    }

    public List<Route> routes() {
        return routes;
    }

    public Optional<Match> find(String method, String path) {
        List<String> segments = segments(path);
        for (Route route : routes) {
            if (!route.method().equals(method) && !route.method().equals("ANY")) {
                continue;
            }
            Map<String, String> parameters = match(segments(route.resource()), segments);
            if (parameters != null) {
                return Optional.of(new Match(route, parameters));
            }
        }
        return Optional.empty();
    }

    private static Map<String, String> match(List<String> template, List<String> actual) {
        Map<String, String> parameters = new LinkedHashMap<>();
        for (int i = 0; i < template.size(); i++) {
            String part = template.get(i);
            if (part.startsWith("{") && part.endsWith("+}")) {
                if (i >= actual.size()) {
                    return null;
                }
                List<String> rest = new ArrayList<>();
                for (String segment : actual.subList(i, actual.size())) {
                    rest.add(PathCodec.decode(segment));
                }
                parameters.put(part.substring(1, part.length() - 2), String.join("/", rest));
                return parameters;
            }
            if (i >= actual.size()) {
                return null;
            }
            if (part.startsWith("{") && part.endsWith("}")) {
                String value = PathCodec.decode(actual.get(i));
                if (value.isEmpty()) {
                    return null;
                }
                parameters.put(part.substring(1, part.length() - 1), value);
            } else if (!part.equals(PathCodec.decode(actual.get(i)))) {
                return null;
            }
        }
        return template.size() == actual.size() ? parameters : null;
    }

    /** Orders templates so literal segments win over parameters, and parameters over greedy ones. */
    private static String specificity(String resource) {
        StringBuilder key = new StringBuilder();
        for (String part : segments(resource)) {
            key.append(part.endsWith("+}") ? '0' : part.startsWith("{") ? '1' : '2');
        }
        return key.toString();
    }

    static List<String> segments(String path) {
        List<String> segments = new ArrayList<>();
        for (String part : path.split("/")) {
            if (!part.isEmpty()) {
                segments.add(part);
            }
        }
        return segments;
    }
}

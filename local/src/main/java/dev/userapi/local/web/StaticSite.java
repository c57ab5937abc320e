package dev.userapi.local.web;

import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The web client ({@code web/}) at {@code /app/}, as a static host would serve it: GET and HEAD only,
 * {@code index.html} for {@code /app/}, a content type by extension and nothing else (no listings,
 * no hidden files, no dependencies or tests, nothing outside {@code web/}, symbolic links included).
 * Local only: on AWS the client is deployed as static files of its own.
 */
public final class StaticSite {
    public static final String PREFIX = "/app";

    private static final Map<String, String> TYPES = Map.of(
            "html", "text/html; charset=utf-8",
            "js", "text/javascript; charset=utf-8",
            "mjs", "text/javascript; charset=utf-8",
            "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml",
            "png", "image/png",
            "ico", "image/x-icon",
            "woff2", "font/woff2",
            "txt", "text/plain; charset=utf-8");
    /** Folders of web/ that are not part of the client. */
    private static final Set<String> PRIVATE_FOLDERS = Set.of("node_modules", "test", "test-results", "tools", "dist");

    /** What to answer. */
    public record Response(int status, Map<String, List<String>> headers, byte[] body) {
    }

    private final Path root;

    /** @param root the {@code web/} folder; when it does not exist every request answers 404 */
    public StaticSite(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    /** Whether a request for this raw (undecoded) path is the site's: {@code /app} and everything under {@code /app/}. */
    public static boolean handles(String rawPath) {
        return rawPath != null && (rawPath.equals(PREFIX) || rawPath.startsWith(PREFIX + "/"));
    }

    public Response serve(String method, String rawPath) throws IOException {
        if (!method.equals("GET") && !method.equals("HEAD")) {
            Map<String, List<String>> headers = text();
            headers.put("Allow", List.of("GET, HEAD"));
            return new Response(405, headers, "Method not allowed\n".getBytes(StandardCharsets.UTF_8));
        }
        if (rawPath.equals(PREFIX)) {
            Map<String, List<String>> headers = text();
            headers.put("Location", List.of(PREFIX + "/"));
            return new Response(301, headers, new byte[0]);
        }
        Path file = resolve(rawPath.substring(PREFIX.length() + 1));
        if (file == null) {
            return new Response(404, text(), "Not found\n".getBytes(StandardCharsets.UTF_8));
        }
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of(TYPES.get(extension(file))));
        headers.put("Cache-Control", List.of("no-cache"));
        headers.put("X-Content-Type-Options", List.of("nosniff"));
        headers.put("Referrer-Policy", List.of("no-referrer"));
        headers.put("X-Frame-Options", List.of("DENY"));
        return new Response(200, headers, Files.readAllBytes(file));
    }

    /** The file for the part of the raw path after {@code /app/}, or null. */
    Path resolve(String rawRelative) throws IOException {
        String relative = rawRelative.isEmpty() || rawRelative.endsWith("/") ? rawRelative + "index.html" : rawRelative;
        Path path = root;
        String[] segments = relative.split("/", -1);
        for (int i = 0; i < segments.length; i++) {
            String segment = decode(segments[i]);
            if (segment == null || segment.isEmpty() || segment.startsWith(".") || segment.contains("/")
                    || segment.contains("\\") || segment.indexOf('\0') >= 0
                    || (i == 0 && PRIVATE_FOLDERS.contains(segment))) {
                return null;
            }
            path = path.resolve(segment);
        }
        path = path.normalize();
        if (!path.startsWith(root) || !TYPES.containsKey(extension(path)) || !Files.isRegularFile(path)) {
            return null;
        }
        Path real = path.toRealPath();
        return real.startsWith(root.toRealPath()) ? real : null;
    }

    private static String decode(String segment) {
        try {
            // Percent-decoding only: '+' is a plus in a path, not a space.
            return URLDecoder.decode(segment.replace("+", "%2B"), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static String extension(Path path) {
        String name = path.getFileName() == null ? "" : path.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot < 0 ? "" : name.substring(dot + 1).toLowerCase(Locale.ROOT);
    }

    private static Map<String, List<String>> text() {
        Map<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("Content-Type", List.of("text/plain; charset=utf-8"));
        headers.put("X-Content-Type-Options", List.of("nosniff"));
        return headers;
    }
}

package dev.userapi.contract;

import java.nio.file.Files;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a route handler's source says about its HTTP contract: the body fields it accepts (and requires, and
 * their length limits), the success statuses it returns, and the headers it reads or writes. Read from the
 * handler's .java file (the module of its CodeUri), since handlers are thin by design (docs/CONTRIBUTING.md) and each calls
 * the same few {@code ApiRequest}/{@code JsonBody}/{@code ApiResponse} methods.
 */
record HandlerSource(
        String className,
        boolean readsBody,
        Set<String> bodyFields,
        Set<String> requiredFields,
        Map<String, Integer> maxLengths,
        Set<Integer> successStatuses,
        boolean setsEtag,
        boolean readsIfMatch,
        boolean setsLocation,
        boolean requiresAdmin,
        boolean readsQuery) {

    private static final Pattern ALLOW_ONLY = Pattern.compile("allowOnly\\(([^)]*)\\)");
    private static final Pattern QUOTED = Pattern.compile("\"(\\w+)\"");
    private static final Pattern REQUIRED = Pattern.compile("required\\w*\\(\"(\\w+)\"");
    private static final Pattern HAS = Pattern.compile("\\bhas\\(\"(\\w+)\"\\)");
    private static final Pattern STRING_LIMIT = Pattern.compile("(?:required|optional|nullable)String\\(\"(\\w+)\",\\s*(\\d+)\\)");
    private static final Map<Pattern, Integer> STATUS = Map.of(
            Pattern.compile("ApiResponse\\.ok\\("), 200,
            Pattern.compile("ApiResponse\\.accepted\\("), 202,
            Pattern.compile("ApiResponse\\.noContent\\(\\)"), 204,
            Pattern.compile("ApiResponse\\.found\\("), 302,
            Pattern.compile("AuthResponses\\.(of|tokens)\\("), 200);
    private static final Pattern EXPLICIT_STATUS = Pattern.compile("ApiResponse\\.json\\((\\d{3})");
    static final String PROFILE_CHANGES = "layers/core/src/main/java/dev/userapi/core/user/ProfileChanges.java";

    /** The source of a handler class in the module of the function's CodeUri. */
    static HandlerSource of(String codeUri, String className) {
        String relative = codeUri.replaceAll("/+$", "") + "/src/main/java/" + className.replace('.', '/') + ".java";
        if (!Files.isRegularFile(Repo.path(relative))) {
            throw new IllegalStateException("no source " + relative + " for " + className);
        }
        return parse(className, Repo.read(relative));
    }

    static HandlerSource parse(String className, String source) {
        String body = source;
        boolean profileChanges = source.contains("ProfileChanges.from(");
        if (profileChanges) {
            // The PATCH routes delegate to the one reader of profile changes; read its rules too.
            body = source + "\n" + Repo.read(PROFILE_CHANGES);
        }
        Set<String> fields = new LinkedHashSet<>();
        Matcher allow = ALLOW_ONLY.matcher(source);
        boolean readsBody = false;
        while (allow.find()) {
            readsBody = true;
            Matcher q = QUOTED.matcher(allow.group(1));
            while (q.find()) {
                fields.add(q.group(1));
            }
        }
        if (profileChanges) {
            readsBody = true;
            fields.addAll(dev.userapi.core.user.ProfileChanges.WRITABLE);
        }
        Set<String> required = new LinkedHashSet<>();
        Matcher r = REQUIRED.matcher(body);
        while (r.find()) {
            required.add(r.group(1));
        }
        Matcher h = HAS.matcher(body);
        while (h.find()) {
            required.remove(h.group(1)); // body.has("x") ? body.requiredX("x") : default  -> optional
        }
        Map<String, Integer> limits = new LinkedHashMap<>();
        Matcher l = STRING_LIMIT.matcher(body);
        while (l.find()) {
            limits.put(l.group(1), Integer.parseInt(l.group(2)));
        }
        Set<Integer> statuses = new LinkedHashSet<>();
        STATUS.forEach((pattern, status) -> {
            if (pattern.matcher(source).find()) {
                statuses.add(status);
            }
        });
        Matcher e = EXPLICIT_STATUS.matcher(source);
        while (e.find()) {
            statuses.add(Integer.parseInt(e.group(1)));
        }
        return new HandlerSource(className, readsBody || source.contains("requireNoBody()"), fields, required, limits, statuses,
                source.contains(".etag("), source.contains("ifMatchVersion()"), source.contains("header(\"Location\""),
                source.contains("request.admin()"), source.contains("queryParameters()") || source.contains("queryParameter("));
    }
}

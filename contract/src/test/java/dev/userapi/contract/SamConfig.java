package dev.userapi.contract;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The few parts of samconfig.toml the tests read: {@code [env.command.parameters]} tables of
 * {@code key = "string" | true | false | number} lines (the only TOML that file uses).
 */
final class SamConfig {
    private static final Pattern TABLE = Pattern.compile("^\\[([\\w.-]+)]\\s*$");
    private static final Pattern ENTRY = Pattern.compile("^([\\w-]+)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|true|false|[0-9.]+)\\s*(#.*)?$");

    private final Map<String, Map<String, String>> tables = new LinkedHashMap<>();

    static SamConfig load() {
        return parse(Repo.read("samconfig.toml"));
    }

    static SamConfig parse(String text) {
        SamConfig config = new SamConfig();
        String table = "";
        for (String raw : text.split("\\R")) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            Matcher t = TABLE.matcher(line);
            Matcher e = ENTRY.matcher(line);
            if (t.matches()) {
                table = t.group(1);
            } else if (e.matches()) {
                String value = e.group(3) != null ? e.group(3).replace("\\\"", "\"") : e.group(2);
                config.tables.computeIfAbsent(table, k -> new LinkedHashMap<>()).put(e.group(1), value);
            } else {
                throw new IllegalStateException("samconfig.toml: cannot read line: " + raw);
            }
        }
        return config;
    }

    /** {@code get("prod.deploy.parameters", "confirm_changeset")}, or null. */
    String get(String table, String key) {
        return tables.getOrDefault(table, Map.of()).get(key);
    }

    /** The {@code Name=Value} pairs of a {@code parameter_overrides} string. */
    Map<String, String> parameterOverrides(String environment) {
        String overrides = get(environment + ".deploy.parameters", "parameter_overrides");
        Map<String, String> out = new LinkedHashMap<>();
        if (overrides == null) {
            return out;
        }
        for (String pair : overrides.trim().split("\\s+")) {
            int eq = pair.indexOf('=');
            if (eq < 1) {
                throw new IllegalStateException("parameter_overrides of " + environment + ": not Name=Value: " + pair);
            }
            out.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return out;
    }
}

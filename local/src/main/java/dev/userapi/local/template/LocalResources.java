package dev.userapi.local.template;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The physical names of the template's resources in the local stack, filled in as the local
 * services create them: the table's name once DynamoDB Local has it, the pool and client IDs once
 * cognito-local has them. A function's name is its logical ID, and {@code Ref} of its alias or
 * version ({@code !Ref XFunction.Alias}) names the function too.
 */
public final class LocalResources implements Intrinsics.Resources {
    private final Map<String, String> refs = new ConcurrentHashMap<>();
    private final Map<String, String> attributes = new ConcurrentHashMap<>();

    public LocalResources put(String logicalId, String physicalName) {
        refs.put(logicalId, physicalName);
        return this;
    }

    public LocalResources putAttribute(String logicalId, String attribute, String value) {
        attributes.put(logicalId + "." + attribute, value);
        return this;
    }

    @Override
    public Optional<String> ref(String logicalId) {
        String direct = refs.get(logicalId);
        if (direct != null) {
            return Optional.of(direct);
        }
        for (String suffix : new String[] {".Alias", ".Version"}) {
            if (logicalId.endsWith(suffix)) {
                return ref(logicalId.substring(0, logicalId.length() - suffix.length()));
            }
        }
        return Optional.empty();
    }

    @Override
    public Optional<String> getAtt(String logicalId, String attribute) {
        return Optional.ofNullable(attributes.get(logicalId + "." + attribute));
    }
}

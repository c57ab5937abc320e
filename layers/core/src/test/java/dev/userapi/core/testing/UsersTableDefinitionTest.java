package dev.userapi.core.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.Projection;

/** The repository tests' table is the one the template deploys. */
class UsersTableDefinitionTest {

    @Test
    void testTable_equalsTemplateUsersTable() throws IOException {
        Map<String, Object> template = usersTableProperties();

        Map<String, Object> expected = new LinkedHashMap<>();
        for (String key : List.of("BillingMode", "AttributeDefinitions", "KeySchema", "GlobalSecondaryIndexes",
                "LocalSecondaryIndexes", "TimeToLiveSpecification")) {
            if (template.containsKey(key)) {
                expected.put(key, key.equals("AttributeDefinitions") || key.endsWith("Indexes")
                        ? sortedBy(template.get(key), key.equals("AttributeDefinitions") ? "AttributeName" : "IndexName")
                        : template.get(key));
            }
        }

        assertThat(asTemplate(UsersTableDefinition.request("any"))).isEqualTo(expected);
    }

    /** The test definition in the template's own terms (the properties CloudFormation reads). */
    private static Map<String, Object> asTemplate(CreateTableRequest request) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("BillingMode", request.billingModeAsString());
        p.put("AttributeDefinitions", sortedBy(request.attributeDefinitions().stream()
                .map(a -> Map.<String, Object>of("AttributeName", a.attributeName(), "AttributeType", a.attributeTypeAsString()))
                .toList(), "AttributeName"));
        p.put("KeySchema", keys(request.keySchema()));
        if (request.hasGlobalSecondaryIndexes()) {
            p.put("GlobalSecondaryIndexes", sortedBy(request.globalSecondaryIndexes().stream()
                    .map(i -> Map.<String, Object>of("IndexName", i.indexName(), "KeySchema", keys(i.keySchema()),
                            "Projection", projection(i.projection())))
                    .toList(), "IndexName"));
        }
        if (request.hasLocalSecondaryIndexes()) {
            p.put("LocalSecondaryIndexes", sortedBy(request.localSecondaryIndexes().stream()
                    .map(i -> Map.<String, Object>of("IndexName", i.indexName(), "KeySchema", keys(i.keySchema()),
                            "Projection", Map.of("ProjectionType", i.projection().projectionTypeAsString())))
                    .toList(), "IndexName"));
        }
        p.put("TimeToLiveSpecification", Map.of("AttributeName", UsersTableDefinition.TTL_ATTRIBUTE, "Enabled", true));
        return p;
    }

    /** A projection as the template writes it: the type, and the included attributes in the template's order. */
    private static Map<String, Object> projection(Projection projection) {
        return projection.hasNonKeyAttributes()
                ? Map.of("ProjectionType", projection.projectionTypeAsString(), "NonKeyAttributes", projection.nonKeyAttributes())
                : Map.of("ProjectionType", projection.projectionTypeAsString());
    }

    private static List<Object> keys(List<KeySchemaElement> keys) {
        return keys.stream().<Object>map(k -> Map.of("AttributeName", k.attributeName(), "KeyType", k.keyTypeAsString())).toList();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> sortedBy(Object list, String key) {
        List<Object> sorted = new ArrayList<>((List<Object>) list);
        sorted.sort(Comparator.comparing(item -> String.valueOf(((Map<String, Object>) item).get(key))));
        return sorted;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> usersTableProperties() throws IOException {
        Map<String, Object> template = (Map<String, Object>) new Yaml(new CloudFormationTags())
                .load(Files.readString(templatePath()));
        Map<String, Object> table = (Map<String, Object>) ((Map<String, Object>) template.get("Resources")).get("UsersTable");
        assertThat(table.get("Type")).isEqualTo("AWS::DynamoDB::Table");
        return (Map<String, Object>) table.get("Properties");
    }

    /** template.yaml at the repository root: {@code userapi.root} (failsafe) or up from the working directory. */
    static Path templatePath() {
        String root = System.getProperty("userapi.root");
        if (root != null) {
            return Path.of(root, "template.yaml");
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("template.yaml"))) {
                return dir.resolve("template.yaml");
            }
        }
        throw new IllegalStateException("template.yaml not found above " + Path.of("").toAbsolutePath());
    }

    /** Reads CloudFormation's short tags ({@code !Sub}, {@code !Ref}, ...) as their plain content: enough here. */
    private static final class CloudFormationTags extends SafeConstructor {
        CloudFormationTags() {
            super(new LoaderOptions());
            yamlMultiConstructors.put("!", new AbstractConstruct() {
                @Override
                public Object construct(Node node) {
                    if (node instanceof ScalarNode scalar) {
                        return constructScalar(scalar);
                    }
                    if (node instanceof SequenceNode sequence) {
                        return constructSequence(sequence);
                    }
                    return constructMapping((MappingNode) node);
                }
            });
        }
    }
}

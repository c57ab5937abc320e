package dev.userapi.contract;

import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.AbstractConstruct;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * Reads CloudFormation YAML: the short tags ({@code !Ref X}, {@code !GetAtt A.B}, {@code !Sub ...}, {@code !If [...]}
 * ...) become their long JSON forms ({@code {Ref: X}}, {@code {Fn::GetAtt: [A, B]}}, ...), so the tests see the
 * template as CloudFormation does. Duplicate keys are an error, as they are for CloudFormation.
 */
final class CfnYaml {
    /** Every intrinsic function with a short form. */
    static final List<String> SHORT_TAGS = List.of("Ref", "Condition", "Sub", "GetAtt", "Join", "If", "Equals", "Not",
            "And", "Or", "Select", "Split", "FindInMap", "Base64", "Cidr", "ImportValue", "GetAZs", "Transform",
            "ToJsonString", "Length");

    private CfnYaml() {
    }

    static Object load(String text) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(4 * 1024 * 1024);
        return new Yaml(new Constructor(options)).load(text);
    }

    private static final class Constructor extends SafeConstructor {
        Constructor(LoaderOptions options) {
            super(options);
            for (String name : SHORT_TAGS) {
                yamlConstructors.put(new Tag("!" + name), new Intrinsic(name));
            }
        }

        private final class Intrinsic extends AbstractConstruct {
            private final String name;

            Intrinsic(String name) {
                this.name = name;
            }

            @Override
            public Object construct(Node node) {
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    value = name.equals("GetAtt") ? List.of(text.split("\\.", 2)) : text;
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                String key = name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
                return new java.util.LinkedHashMap<>(Map.of(key, value));
            }
        }
    }
}

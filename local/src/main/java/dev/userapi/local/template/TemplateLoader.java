package dev.userapi.local.template;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
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

/**
 * Reads a CloudFormation/SAM template written in YAML into plain maps and lists, turning the
 * short-form intrinsic tags ({@code !Ref X}, {@code !Sub ...}, {@code !GetAtt A.B}, {@code !If [...]}...)
 * into their long form ({@code {"Ref": "X"}}, {@code {"Fn::Sub": ...}}), which is what
 * CloudFormation itself does before it evaluates anything. Everything downstream then sees one
 * representation.
 */
public final class TemplateLoader {
    private TemplateLoader() {
    }

    public static Map<String, Object> load(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new TemplateException("Cannot read " + file + ": " + e.getMessage());
        }
    }

    @SuppressWarnings("unchecked")
    public static Map<String, Object> parse(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setCodePointLimit(10 * 1024 * 1024);
        Object document = new Yaml(new IntrinsicConstructor(options)).load(yaml);
        if (!(document instanceof Map<?, ?> map)) {
            throw new TemplateException("The template is not a YAML mapping");
        }
        return (Map<String, Object>) map;
    }

    /** The long-form key of a short-form tag: {@code !Ref} → {@code Ref}, {@code !Sub} → {@code Fn::Sub}. */
    static String longForm(String tag) {
        String name = tag.substring(1);
        return name.equals("Ref") || name.equals("Condition") ? name : "Fn::" + name;
    }

    private static final class IntrinsicConstructor extends SafeConstructor {
        IntrinsicConstructor(LoaderOptions options) {
            super(options);
            this.yamlMultiConstructors.put("!", new IntrinsicConstruct());
        }

        private final class IntrinsicConstruct extends AbstractConstruct {
            @Override
            public Object construct(Node node) {
                String key = longForm(node.getTag().getValue());
                Object value;
                if (node instanceof ScalarNode scalar) {
                    String text = constructScalar(scalar);
                    // !GetAtt Resource.Attribute is the list [Resource, Attribute] in long form.
                    value = key.equals("Fn::GetAtt") ? getAtt(text) : text;
                } else if (node instanceof SequenceNode sequence) {
                    value = constructSequence(sequence);
                } else {
                    value = constructMapping((MappingNode) node);
                }
                Map<String, Object> intrinsic = new LinkedHashMap<>();
                intrinsic.put(key, value);
                return intrinsic;
            }
        }

        private static List<String> getAtt(String text) {
            int dot = text.indexOf('.');
            if (dot < 1) {
                throw new TemplateException("!GetAtt needs Resource.Attribute, was " + text);
            }
            return List.of(text.substring(0, dot), text.substring(dot + 1));
        }
    }
}

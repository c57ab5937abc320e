"""Checks what `sam build` produced in .aws-sam/build against template.yaml (run by scripts/check-build.sh).

For every AWS::Serverless::Function of the template:
  - SAM built it (the built template's CodeUri is the function's own build folder);
  - its handler class is in the artifact (classes at the root or in lib/*.jar), as Java bytecode the runtime runs;
  - it has every layer its handler class links to (dev.userapi.core -> CoreLayer, dev.userapi.identity -> IdentityLayer);
  - it holds no layer jar, no layer class, no local-stack or test code, no Netty/Apache HTTP client.
For every AWS::Serverless::LayerVersion: java/lib/*.jar only, its own module jar among them, nothing forbidden.
Prints the size of each artifact (uncompressed and zipped). Exits 1 on any failure, naming each.
"""
import io
import re
import sys
import zipfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
BUILD = ROOT / ".aws-sam" / "build"

# Runtime -> highest class-file major version it runs (java17 = 61, java21 = 65, java25 = 69).
RUNTIME_MAJOR = {"java17": 61, "java21": 65, "java25": 69}
# Packages that the layers provide, and the layer that provides each.
LAYER_PACKAGES = {"dev/userapi/core/": "CoreLayer", "dev/userapi/identity/": "IdentityLayer", "dev/userapi/tokens/": "TokensLayer"}
FORBIDDEN_JAR = re.compile(
    r"(dynamodblocal|dynamodb-local|sqlite4java|jetty|antlr|junit|mockito|assertj|aws-lambda-java-tests|byte-buddy"
    r"|objenesis|opentest4j|apiguardian|hamcrest|netty|apache-client|apache5-client|httpclient|httpcore"
    r"|snakeyaml|user-api-local|-tests\.jar$)",
    re.IGNORECASE,
)
FORBIDDEN_CLASS = re.compile(r"(^dev/userapi/local/|(Tests?|IT)(\$[\w$]*)?\.class$)")


class CfnLoader(yaml.SafeLoader):
    """YAML loader that turns CloudFormation short tags (!Ref, !Sub, ...) into their long form."""


def _construct_tag(loader, tag_suffix, node):
    name = "Ref" if tag_suffix == "Ref" else "Condition" if tag_suffix == "Condition" else "Fn::" + tag_suffix
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
        if tag_suffix == "GetAtt":
            value = value.split(".", 1)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


CfnLoader.add_multi_constructor("!", _construct_tag)


def load(path):
    with open(path, encoding="utf-8") as f:
        return yaml.load(f, Loader=CfnLoader)


def artifact_files(folder):
    """The relative paths of every file of an artifact (jars as files, not opened)."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def zipped_size(folder):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for rel in artifact_files(folder):
            z.write(folder / rel, rel)
    return buf.tell()


def find_class(folder, class_path):
    """The bytes of a class from the artifact's root or one of its lib/*.jar, or None."""
    direct = folder / class_path
    if direct.is_file():
        return direct.read_bytes()
    for jar in sorted((folder / "lib").glob("*.jar")) if (folder / "lib").is_dir() else []:
        with zipfile.ZipFile(jar) as z:
            if class_path in z.namelist():
                return z.read(class_path)
    return None


def main():
    errors = []
    template = load(ROOT / "template.yaml")
    built_path = BUILD / "template.yaml"
    if not built_path.is_file():
        print(f"FAIL: {built_path.relative_to(ROOT)} is missing: run sam build first")
        return 1
    built = load(built_path)
    resources = template.get("Resources", {})
    built_resources = built.get("Resources", {})
    globals_fn = (template.get("Globals") or {}).get("Function") or {}

    for key, value in resources.items():
        if key.startswith("Fn::ForEach::") and "AWS::Serverless::" in yaml.safe_dump(value):
            errors.append(f"{key}: a ForEach that makes SAM resources is not understood by this check")

    functions = {k: v for k, v in resources.items() if isinstance(v, dict) and v.get("Type") == "AWS::Serverless::Function"}
    layers = {k: v for k, v in resources.items() if isinstance(v, dict) and v.get("Type") == "AWS::Serverless::LayerVersion"}
    if not functions:
        errors.append("template.yaml has no AWS::Serverless::Function")
    rows = []

    for name, layer in sorted(layers.items()):
        folder = BUILD / name
        lib = folder / "java" / "lib"
        jars = sorted(lib.glob("*.jar")) if lib.is_dir() else []
        if not jars:
            errors.append(f"{name}: no java/lib/*.jar in {folder.relative_to(ROOT)}")
            continue
        if (built_resources.get(name, {}).get("Properties", {}) or {}).get("ContentUri") != name:
            errors.append(f"{name}: the built template does not point at the built layer")
        strays = [f for f in artifact_files(folder) if not (f.startswith("java/lib/") and f.endswith(".jar"))]
        if strays:
            errors.append(f"{name}: files outside java/lib/*.jar: {strays[:5]}")
        module = Path(str(layer["Properties"]["ContentUri"])).name
        if not any(j.name.startswith("user-api-") and module in j.name for j in jars):
            errors.append(f"{name}: its own jar (user-api-{module}-*.jar) is missing")
        for j in jars:
            if FORBIDDEN_JAR.search(j.name):
                errors.append(f"{name}: forbidden jar {j.name}")
        rows.append((name, len(jars), folder))

    for name, fn in sorted(functions.items()):
        props = fn.get("Properties") or {}
        folder = BUILD / name
        if not folder.is_dir():
            errors.append(f"{name}: not built ({folder.relative_to(ROOT)} is missing)")
            continue
        if (built_resources.get(name, {}).get("Properties", {}) or {}).get("CodeUri") != name:
            errors.append(f"{name}: the built template does not point at the built function")
        runtime = props.get("Runtime", globals_fn.get("Runtime"))
        handler = str(props.get("Handler", ""))
        class_name = handler.split("::", 1)[0]
        if not re.fullmatch(r"[A-Za-z_$][\w$]*(\.[A-Za-z_$][\w$]*)+", class_name):
            errors.append(f"{name}: handler {handler!r} is not <class>::<method>")
            continue
        code = find_class(folder, class_name.replace(".", "/") + ".class")
        if code is None:
            errors.append(f"{name}: handler class {class_name} is not in the artifact")
        elif code[:4] != b"\xca\xfe\xba\xbe":
            errors.append(f"{name}: {class_name}.class is not a class file")
        else:
            major = int.from_bytes(code[6:8], "big")
            if runtime in RUNTIME_MAJOR and major > RUNTIME_MAJOR[runtime]:
                errors.append(f"{name}: {class_name} is class-file version {major}, too new for {runtime}")
            function_layers = {ref.get("Ref") for ref in (props.get("Layers") or []) + (globals_fn.get("Layers") or [])
                               if isinstance(ref, dict)}
            for package, layer_name in LAYER_PACKAGES.items():
                if package.encode() in code and layer_name not in function_layers:
                    errors.append(f"{name}: {class_name} uses {package} but the function lacks {layer_name}")

        files = artifact_files(folder)
        for f in files:
            base = f.rsplit("/", 1)[-1]
            if f.endswith(".jar"):
                if FORBIDDEN_JAR.search(base) or base.startswith("user-api-"):
                    errors.append(f"{name}: forbidden jar {f}")
            elif f.endswith(".class"):
                if FORBIDDEN_CLASS.search(f):
                    errors.append(f"{name}: test or local-stack class {f}")
                for package, layer_name in LAYER_PACKAGES.items():
                    if f.startswith(package):
                        errors.append(f"{name}: {f} belongs in {layer_name}, not in the function")
        rows.append((name, sum(1 for f in files if f.endswith(".jar")), folder))

    print(f"{'artifact':32} {'jars':>4} {'files':>6} {'bytes':>10} {'zipped':>10}")
    total = 0
    for name, jars, folder in rows:
        files = artifact_files(folder)
        size = sum((folder / f).stat().st_size for f in files)
        zipped = zipped_size(folder)
        total += zipped
        print(f"{name:32} {jars:4d} {len(files):6d} {size:10d} {zipped:10d}")
    print(f"{'total zipped':32} {'':4} {'':6} {'':10} {total:10d}")

    for e in errors:
        print("FAIL:", e)
    if errors:
        print(f"check-build: {len(errors)} problem(s) in .aws-sam/build")
        return 1
    print(f"check-build: {len(functions)} functions and {len(layers)} layers OK")
    return 0


if __name__ == "__main__":
    sys.exit(main())

package dev.userapi.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a child process to completion and keeps what it printed. */
final class Child {
    record Result(int exitCode, List<String> stdout, String stderr, long startedAtMicros) {
        /** The lines starting with {@code prefix}, without it. */
        List<String> lines(String prefix) {
            return stdout.stream().filter(l -> l.startsWith(prefix)).map(l -> l.substring(prefix.length()).trim()).toList();
        }

        String describe() {
            return "exit " + exitCode + "\n--- stdout\n" + String.join("\n", stdout.subList(Math.max(0, stdout.size() - 40), stdout.size()))
                    + "\n--- stderr\n" + stderr.substring(Math.max(0, stderr.length() - 4000));
        }
    }

    private Child() {
    }

    /**
     * Starts {@code command} with exactly {@code environment} (nothing inherited but {@code PATH} and
     * {@code HOME}) and waits for it. The start instant is taken just before the process is created.
     */
    static Result run(List<String> command, Map<String, String> environment, Path directory, long timeoutSeconds) {
        ProcessBuilder builder = new ProcessBuilder(command).directory(directory.toFile());
        Map<String, String> env = builder.environment();
        String path = env.get("PATH");
        String home = env.get("HOME");
        env.clear();
        if (path != null) {
            env.put("PATH", path);
        }
        if (home != null) {
            env.put("HOME", home);
        }
        env.putAll(environment);
        try {
            Path out = Files.createTempFile("bench-", ".out");
            Path err = Files.createTempFile("bench-", ".err");
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            long started = LambdaLauncher.micros();
            Process process = builder.start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor();
            }
            List<String> stdout = new ArrayList<>(Files.readAllLines(out, StandardCharsets.UTF_8));
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            return new Result(process.exitValue(), stdout, stderr, started);
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static Result runOrFail(List<String> command, Map<String, String> environment, Path directory, long timeoutSeconds) {
        Result result = run(command, environment, directory, timeoutSeconds);
        if (result.exitCode() != 0) {
            throw new IllegalStateException(String.join(" ", command.subList(0, Math.min(3, command.size()))) + " failed: "
                    + result.describe());
        }
        return result;
    }
}

package dev.userapi.local;

import dev.userapi.core.user.IndexKeyBackfill;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClientBuilder;

/**
 * {@code scripts/backfill-index-keys.sh}: one pass of {@link IndexKeyBackfill} over a deployed table
 * (docs/DATA-MODEL.md, "Migration"), with the caller's own AWS credentials (the default chain:
 * environment, profile, SSO...). Idempotent: run it again until it reports nothing rewritten.
 */
public final class BackfillIndexKeys {
    private BackfillIndexKeys() {
    }

    public static void main(String[] args) {
        Map<String, String> options = new HashMap<>();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                usage();
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (args.length % 2 != 0 || !options.containsKey("table")) {
            usage();
        }
        DynamoDbClientBuilder builder = DynamoDbClient.builder().httpClient(UrlConnectionHttpClient.create());
        if (options.containsKey("region")) {
            builder.region(Region.of(options.get("region")));
        }
        if (options.containsKey("endpoint")) {
            builder.endpointOverride(URI.create(options.get("endpoint")));
        }
        try (DynamoDbClient db = builder.build()) {
            IndexKeyBackfill.Counts counts = IndexKeyBackfill.run(db, options.get("table"));
            System.out.printf("%s: %d items scanned; rewritten: %d profiles, %d role memberships, %d sessions%n",
                    options.get("table"), counts.scanned(), counts.profiles(), counts.memberships(), counts.sessions());
        }
    }

    private static void usage() {
        System.err.println("usage: scripts/backfill-index-keys.sh --table <table name> [--region <region>] [--endpoint <url>]");
        System.exit(2);
    }
}

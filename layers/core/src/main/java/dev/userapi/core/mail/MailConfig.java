package dev.userapi.core.mail;

import dev.userapi.core.config.AppConfig;
import dev.userapi.core.config.ConfigurationException;
import dev.userapi.core.config.Env;
import java.net.URI;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The API's e-mail sender, read once from the environment the template sets (from the parameters
 * {@code SesSourceArn} and {@code EmailFrom}, the same identity the user pool sends with).
 *
 * @param from      {@code MAIL_FROM}: the sender, {@code no-reply@example.com} or {@code Name <no-reply@example.com>};
 *                  absent: the API sends no e-mail ({@link Mailer} answers 503)
 * @param sourceArn {@code MAIL_SOURCE_ARN}: the verified SES identity's ARN (sent as {@code FromEmailAddressIdentityArn})
 * @param region    the SES region: the identity ARN's, else the function's ({@code AWS_REGION})
 * @param endpoint  {@code SES_ENDPOINT}: endpoint override (the local stack's SES endpoint); absent on AWS
 */
public record MailConfig(Optional<String> from, Optional<String> sourceArn, String region, Optional<URI> endpoint) {
    private static final Pattern IDENTITY_ARN = Pattern.compile("arn:aws[a-z-]*:ses:([a-z0-9-]+):[0-9]{12}:identity/.+");

    public static MailConfig from(Map<String, String> env) {
        Optional<String> sourceArn = Env.optional(env, "MAIL_SOURCE_ARN");
        String region = Env.require(env, "AWS_REGION");
        if (sourceArn.isPresent()) {
            Matcher m = IDENTITY_ARN.matcher(sourceArn.get());
            if (!m.matches()) {
                throw new ConfigurationException("MAIL_SOURCE_ARN is not an SES identity ARN (arn:aws:ses:<region>:<account>:identity/<identity>)");
            }
            region = m.group(1);
        }
        Optional<String> from = Env.optional(env, "MAIL_FROM");
        if (from.isPresent() && !from.get().contains("@")) {
            throw new ConfigurationException("MAIL_FROM is not an e-mail address");
        }
        return new MailConfig(from, sourceArn, region, Env.optional(env, "SES_ENDPOINT").map(v -> AppConfig.uri("SES_ENDPOINT", v)));
    }
}

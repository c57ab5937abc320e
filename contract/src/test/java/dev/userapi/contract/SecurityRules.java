package dev.userapi.contract;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The checks of docs/SECURITY.md section C (and the API's own throttling, logging and authorization rules) on a parsed
 * template. Each returns what is wrong, one line per finding; empty means the template complies. They are functions
 * of the template so that {@code SecurityRulesCanFailTest} can show each one catching a weakened copy.
 */
final class SecurityRules {
    static final String POOL = "AWS::Cognito::UserPool";
    static final String CLIENT = "AWS::Cognito::UserPoolClient";
    static final String TABLE = "AWS::DynamoDB::Table";
    static final String LOG_GROUP = "AWS::Logs::LogGroup";

    /** ASVS 4.0 2.1.1 asks for at least 12 characters; the pool must not accept less. */
    static final int MIN_PASSWORD_LENGTH = 12;
    static final int MAX_TOKEN_MINUTES = 60;
    static final int MAX_TEMPORARY_PASSWORD_DAYS = 7;
    /** Standard OIDC attributes a user may change about themself; nothing role-like, nothing custom. */
    static final Set<String> USER_WRITABLE_ATTRIBUTES = Set.of("email", "name", "given_name", "family_name",
            "middle_name", "nickname", "locale", "picture", "phone_number", "zoneinfo", "birthdate", "gender",
            "website", "profile", "address", "updated_at");
    static final Pattern ROLE_LIKE = Pattern.compile("(?i)role|group|admin|permission|scope|tenant|custom:");

    private SecurityRules() {
    }

    // ------------------------------------------------------------------------------------------------------------
    // C19: the Cognito user pool and its app client
    // ------------------------------------------------------------------------------------------------------------

    static List<String> preventUserExistenceErrors(CfnTemplate t) {
        return eachClient(t, (id, p) -> "ENABLED".equals(p.get("PreventUserExistenceErrors")) ? null
                : id + ": PreventUserExistenceErrors is " + p.get("PreventUserExistenceErrors") + ", not ENABLED");
    }

    static List<String> tokenRevocation(CfnTemplate t) {
        return eachClient(t, (id, p) -> Boolean.TRUE.equals(p.get("EnableTokenRevocation")) ? null
                : id + ": EnableTokenRevocation is " + p.get("EnableTokenRevocation") + ", not true");
    }

    /** Access and ID tokens live at most an hour, whatever value the parameter is given at deploy time. */
    static List<String> tokenValidity(CfnTemplate t) {
        List<String> problems = new ArrayList<>();
        t.resourcesOfType(CLIENT).forEach((id, r) -> {
            Map<String, Object> p = Y.map(r.get("Properties"));
            for (String token : List.of("AccessToken", "IdToken")) {
                // Cognito's unit for access and ID tokens is hours unless TokenValidityUnits says otherwise.
                String unit = Y.str(Y.get(p, "TokenValidityUnits", token));
                int minutesPerUnit = switch (unit == null ? "hours" : unit) {
                    case "seconds" -> 0;
                    case "minutes" -> 1;
                    case "hours" -> 60;
                    case "days" -> 1440;
                    default -> -1;
                };
                if (minutesPerUnit < 0) {
                    problems.add(id + ": unknown unit " + unit + " for " + token);
                    continue;
                }
                Object value = p.get(token + "Validity");
                List<Object> bounds = new ArrayList<>();
                Map<String, Object> param = t.referencedParameter(value);
                if (value == null) {
                    problems.add(id + ": " + token + "Validity is not set (Cognito's default is 60 minutes, but say so)");
                    continue;
                } else if (param != null) {
                    if (param.get("MaxValue") == null) {
                        problems.add(id + ": " + token + "Validity comes from parameter " + Y.ref(value) + ", which has no MaxValue");
                    }
                    bounds.add(param.get("MaxValue"));
                    bounds.add(param.get("Default"));
                } else {
                    bounds.add(value);
                }
                for (Object bound : bounds) {
                    if (bound == null) {
                        continue;
                    }
                    double n = Double.parseDouble(Y.str(bound));
                    double minutes = minutesPerUnit == 0 ? n / 60 : n * minutesPerUnit;
                    if (minutes > MAX_TOKEN_MINUTES) {
                        problems.add(id + ": " + token + "Validity may be " + bound + " " + (unit == null ? "hours" : unit)
                                + " (> " + MAX_TOKEN_MINUTES + " minutes)");
                    }
                }
            }
        });
        return problems;
    }

    static List<String> passwordPolicy(CfnTemplate t) {
        return eachPool(t, (id, p) -> {
            Map<String, Object> policy = Y.map(Y.get(p, "Policies", "PasswordPolicy"));
            List<String> problems = new ArrayList<>();
            Object length = policy.get("MinimumLength");
            if (length == null || Integer.parseInt(Y.str(length)) < MIN_PASSWORD_LENGTH) {
                problems.add("MinimumLength " + length + " < " + MIN_PASSWORD_LENGTH);
            }
            for (String rule : List.of("RequireLowercase", "RequireUppercase", "RequireNumbers", "RequireSymbols")) {
                if (!Boolean.TRUE.equals(policy.get(rule))) {
                    problems.add(rule + " is " + policy.get(rule));
                }
            }
            Object days = policy.get("TemporaryPasswordValidityDays");
            if (days == null || Integer.parseInt(Y.str(days)) > MAX_TEMPORARY_PASSWORD_DAYS) {
                problems.add("TemporaryPasswordValidityDays " + days + " > " + MAX_TEMPORARY_PASSWORD_DAYS);
            }
            return problems.isEmpty() ? null : id + ": weak password policy: " + String.join("; ", problems);
        });
    }

    static List<String> emailUsernamesCaseInsensitive(CfnTemplate t) {
        return eachPool(t, (id, p) -> {
            if (!List.of("email").equals(p.get("UsernameAttributes"))) {
                return id + ": UsernameAttributes is " + p.get("UsernameAttributes") + ", not [email]";
            }
            if (!Boolean.FALSE.equals(Y.get(p, "UsernameConfiguration", "CaseSensitive"))) {
                return id + ": UsernameConfiguration.CaseSensitive is not false";
            }
            return null;
        });
    }

    static List<String> optionalTotpMfa(CfnTemplate t) {
        return eachPool(t, (id, p) -> {
            if (!"OPTIONAL".equals(p.get("MfaConfiguration"))) {
                return id + ": MfaConfiguration is " + p.get("MfaConfiguration") + ", not OPTIONAL";
            }
            if (!List.of("SOFTWARE_TOKEN_MFA").equals(p.get("EnabledMfas"))) {
                return id + ": EnabledMfas is " + p.get("EnabledMfas") + ", not [SOFTWARE_TOKEN_MFA]";
            }
            return null;
        });
    }

    /**
     * The pool and every table take their deletion protection from one parameter (ACTIVE/INACTIVE), so that
     * production turns it on (samconfig.toml's prod environment; see the test of that).
     */
    static List<String> deletionProtectionParameterised(CfnTemplate t) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> param = t.parameters().containsKey("DeletionProtection") ? t.parameter("DeletionProtection") : null;
        if (param == null || !Y.list(param.get("AllowedValues")).containsAll(List.of("ACTIVE", "INACTIVE"))) {
            problems.add("parameter DeletionProtection with AllowedValues [ACTIVE, INACTIVE] is missing");
        }
        eachPool(t, (id, p) -> "DeletionProtection".equals(Y.ref(p.get("DeletionProtection"))) ? null
                : id + ": DeletionProtection is " + p.get("DeletionProtection") + ", not !Ref DeletionProtection")
                .forEach(problems::add);
        t.resourcesOfType(TABLE).forEach((id, r) -> {
            Object value = Y.get(r, "Properties", "DeletionProtectionEnabled");
            List<Object> ifArgs = Y.list(Y.get(value, "Fn::If"));
            boolean ok = ifArgs.size() == 3 && Boolean.TRUE.equals(ifArgs.get(1)) && Boolean.FALSE.equals(ifArgs.get(2))
                    && isActiveCondition(t, Y.str(ifArgs.get(0)));
            if (!ok) {
                problems.add(id + ": DeletionProtectionEnabled is " + value
                        + ", not !If [<DeletionProtection equals ACTIVE>, true, false]");
            }
        });
        return problems;
    }

    private static boolean isActiveCondition(CfnTemplate t, String condition) {
        List<Object> equals = Y.list(Y.get(t.root(), "Conditions", condition, "Fn::Equals"));
        return equals.size() == 2 && equals.stream().anyMatch(e -> "DeletionProtection".equals(Y.ref(e)))
                && equals.contains("ACTIVE");
    }

    // ------------------------------------------------------------------------------------------------------------
    // C14: the app client cannot write anything role-like
    // ------------------------------------------------------------------------------------------------------------

    static List<String> clientCannotWriteRoleLikeAttributes(CfnTemplate t) {
        return eachClient(t, (id, p) -> {
            if (p.get("WriteAttributes") == null) {
                return id + ": WriteAttributes is not set, so the client may write every writable attribute";
            }
            List<String> bad = new ArrayList<>();
            for (Object a : Y.list(p.get("WriteAttributes"))) {
                String attribute = Y.str(a);
                if (!USER_WRITABLE_ATTRIBUTES.contains(attribute) || ROLE_LIKE.matcher(attribute).find()) {
                    bad.add(attribute);
                }
            }
            return bad.isEmpty() ? null : id + ": WriteAttributes holds " + bad;
        });
    }

    // ------------------------------------------------------------------------------------------------------------
    // C20: least privilege
    // ------------------------------------------------------------------------------------------------------------

    /** No {@code Resource: '*'} (nor {@code arn:...:*}, {@code .../*}, {@code NotResource}) anywhere in the template. */
    static List<String> noWildcardResource(CfnTemplate t) {
        List<String> problems = new ArrayList<>();
        walk(t.resources(), "Resources", (path, key, value) -> {
            if (path.matches("Resources\\.[A-Za-z0-9]+\\.Properties\\.KeyPolicy\\..*")
                    && "AWS::KMS::Key".equals(t.resources().get(path.split("\\.")[1]).get("Type"))) {
                return; // in a KMS key policy, Resource "*" means that key itself (the only value it takes)
            }
            if (key.equals("NotResource")) {
                problems.add(path + ": NotResource");
            } else if (key.equals("Resource")) {
                for (Object resource : Y.list(value)) {
                    String text = resource instanceof String s ? s : Y.str(Y.get(resource, "Fn::Sub"));
                    if (text != null && (text.equals("*") || text.endsWith(":*") || text.endsWith("/*"))) {
                        problems.add(path + ": Resource " + text);
                    }
                }
            }
        });
        return problems;
    }

    /**
     * Every IAM statement a function gets (SAM {@code Policies} and {@code AWS::IAM::Policy}) allows only named
     * DynamoDB or Cognito actions, each on the ARN of a table or index, or a user pool, of this template, or SES actions
     * on the stack's SES identity ({@code SesSourceArn}). A function's {@code Policies} may also name a managed
     * policy of this template ({@code !Ref}, possibly under {@code !If}), whose statements are checked where it is.
     */
    static List<String> iamStatementsScopedToTableIndexOrPool(CfnTemplate t) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> resources = t.resources();
        resources.forEach((id, r) -> {
            Map<String, Object> props = Y.map(r.get("Properties"));
            if (CfnTemplate.FUNCTION.equals(r.get("Type"))) {
                for (Object policy : Y.list(props.get("Policies"))) {
                    if (policy instanceof Map<?, ?> m && m.containsKey("Statement")) {
                        Y.list(m.get("Statement")).forEach(s -> checkStatement(t, id, Y.map(s), problems));
                    } else if (!templateManagedPolicies(t, policy).isEmpty()) {
                        continue;
                    } else {
                        problems.add(id + ": policy " + policy + " is not an inline statement scoped to an ARN");
                    }
                }
            } else if ("AWS::IAM::Policy".equals(r.get("Type")) || "AWS::IAM::ManagedPolicy".equals(r.get("Type"))) {
                Y.list(Y.get(props, "PolicyDocument", "Statement")).forEach(s -> checkStatement(t, id, Y.map(s), problems));
            } else if ("AWS::IAM::Role".equals(r.get("Type"))) {
                if (props.get("ManagedPolicyArns") != null && !isApiGatewayLoggingRole(props)) {
                    problems.add(id + ": ManagedPolicyArns are not scoped to this template's resources");
                }
                for (Object policy : Y.list(props.get("Policies"))) {
                    Y.list(Y.get(policy, "PolicyDocument", "Statement")).forEach(s -> checkStatement(t, id, Y.map(s), problems));
                }
            }
        });
        return problems;
    }

    /**
     * The managed policies of this template that a function's {@code Policies} entry names: {@code !Ref P}, or
     * {@code !If [condition, !Ref P, !Ref AWS::NoValue]} (either branch); empty when it names anything else.
     */
    static List<String> templateManagedPolicies(CfnTemplate t, Object policy) {
        List<Object> candidates = new ArrayList<>();
        Object branches = Y.get(policy, "Fn::If");
        if (branches != null) {
            List<Object> parts = Y.list(branches);
            if (parts.size() != 3) {
                return List.of();
            }
            candidates.add(parts.get(1));
            candidates.add(parts.get(2));
        } else {
            candidates.add(policy);
        }
        List<String> named = new ArrayList<>();
        for (Object candidate : candidates) {
            String ref = Y.ref(candidate);
            if ("AWS::NoValue".equals(ref)) {
                continue;
            }
            if (ref == null || !t.resources().containsKey(ref)
                    || !"AWS::IAM::ManagedPolicy".equals(t.resources().get(ref).get("Type"))) {
                return List.of();
            }
            named.add(ref);
        }
        return named;
    }

    static final String API_GATEWAY_LOGS_POLICY = "arn:${AWS::Partition}:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs";

    /**
     * The one role that may hold a managed policy: API Gateway's account-level CloudWatch Logs role, assumable by
     * API Gateway alone, with AmazonAPIGatewayPushToCloudWatchLogs and nothing else.
     */
    static boolean isApiGatewayLoggingRole(Map<String, Object> roleProperties) {
        List<Object> managed = Y.list(roleProperties.get("ManagedPolicyArns"));
        if (managed.size() != 1 || !API_GATEWAY_LOGS_POLICY.equals(Y.str(Y.get(managed.get(0), "Fn::Sub")))
                || roleProperties.get("Policies") != null) {
            return false;
        }
        List<Object> trust = Y.list(Y.get(roleProperties, "AssumeRolePolicyDocument", "Statement"));
        return !trust.isEmpty() && trust.stream().allMatch(st -> "Allow".equals(Y.get(st, "Effect"))
                && Y.list(Y.get(st, "Principal", "Service")).equals(List.of("apigateway.amazonaws.com"))
                && Y.map(Y.get(st, "Principal")).size() == 1);
    }

    private static final Pattern INDEX_ARN = Pattern.compile("\\$\\{(\\w+)\\.Arn}/index/([\\w.-]+)");

    private static void checkStatement(CfnTemplate t, String owner, Map<String, Object> statement, List<String> problems) {
        if ("Deny".equals(statement.get("Effect"))) {
            return;
        }
        List<Object> actions = Y.list(statement.get("Action"));
        List<Object> targets = Y.list(statement.get("Resource"));
        if (statement.containsKey("NotAction") || actions.isEmpty() || targets.isEmpty()) {
            problems.add(owner + ": statement without Action or Resource, or with NotAction: " + statement);
            return;
        }
        Set<String> services = new LinkedHashSet<>();
        for (Object a : actions) {
            String action = Y.str(a);
            if (action.contains("*") || !action.contains(":")) {
                problems.add(owner + ": action " + action + " is not one named action");
                continue;
            }
            services.add(action.substring(0, action.indexOf(':')));
        }
        for (Object target : targets) {
            String kind = resourceKind(t, target);
            if (kind == null) {
                problems.add(owner + ": Resource " + target + " is not the ARN of a table, index or user pool of this template");
                continue;
            }
            for (String service : services) {
                if (!service.equals(kind)) {
                    problems.add(owner + ": " + service + " actions on a " + kind + " resource " + target);
                }
            }
        }
    }

    /**
     * "dynamodb" for a table or index ARN of this template, "cognito-idp" for a user pool ARN, "ses" for the stack's
     * SES identity (the parameter {@code SesSourceArn}), else null.
     */
    private static String resourceKind(CfnTemplate t, Object target) {
        if ("SesSourceArn".equals(Y.ref(target))) {
            return "ses";
        }
        Map<String, Map<String, Object>> resources = t.resources();
        String att = Y.getAtt(target, "Arn");
        if (att != null && resources.containsKey(att)) {
            Object type = resources.get(att).get("Type");
            // issue 20: the event bus, the delivery queues and the webhook key are this template's resources too
            return TABLE.equals(type) ? "dynamodb" : POOL.equals(type) ? "cognito-idp" : "AWS::Events::EventBus".equals(type) ? "events"
                    : "AWS::SQS::Queue".equals(type) ? "sqs" : "AWS::KMS::Key".equals(type) ? "kms" : null;
        }
        String stream = Y.getAtt(target, "StreamArn");
        if (stream != null && resources.containsKey(stream) && TABLE.equals(resources.get(stream).get("Type"))) {
            return "dynamodb"; // a table's stream (the event publisher reads it)
        }
        String sub = Y.str(Y.get(target, "Fn::Sub"));
        if (sub != null) {
            Matcher m = INDEX_ARN.matcher(sub);
            if (m.matches() && resources.containsKey(m.group(1)) && TABLE.equals(resources.get(m.group(1)).get("Type"))) {
                for (Object index : Y.list(Y.get(resources.get(m.group(1)), "Properties", "GlobalSecondaryIndexes"))) {
                    if (m.group(2).equals(Y.get(index, "IndexName"))) {
                        return "dynamodb";
                    }
                }
            }
        }
        return null;
    }

    /** Cognito may invoke the triggers only on behalf of this template's pool (no confused deputy). */
    static List<String> cognitoInvokePermissionsScopedToThePool(CfnTemplate t) {
        List<String> problems = new ArrayList<>();
        t.resourcesOfType("AWS::Lambda::Permission").forEach((id, r) -> {
            Map<String, Object> p = Y.map(r.get("Properties"));
            if (!"lambda:InvokeFunction".equals(p.get("Action"))) {
                problems.add(id + ": Action " + p.get("Action"));
            }
            String pool = Y.getAtt(p.get("SourceArn"), "Arn");
            if ("cognito-idp.amazonaws.com".equals(p.get("Principal"))
                    && (pool == null || !POOL.equals(Y.get(t.resources().get(pool), "Type")))) {
                problems.add(id + ": cognito-idp may invoke the function without SourceArn of this template's user pool");
            }
        });
        return problems;
    }

    // ------------------------------------------------------------------------------------------------------------
    // The API: authorizer, throttling, logs, gateway responses
    // ------------------------------------------------------------------------------------------------------------

    /**
     * The routes that need no token: GET /health, the /auth/* routes but renewing a sign-in (POST /auth/reauthenticate,
     * which acts for a signed-in caller), and every CORS preflight.
     */
    static boolean meantToBePublic(CfnTemplate.Route route) {
        return route.method().equals("OPTIONS") || route.key().equals("GET /health")
                || route.path().startsWith("/auth/") && !route.key().equals("POST /auth/reauthenticate");
    }

    /**
     * Every route is on the REST API whose default authorizer is the TOKEN authorizer function; the public routes,
     * and only they, say {@code Authorizer: NONE}. No other way in (HTTP API events, function URLs).
     */
    static List<String> routesBehindTheAuthorizer(CfnTemplate t) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> apis = t.resourcesOfType(CfnTemplate.API);
        Map<String, Map<String, Object>> functions = t.functions();
        Map<String, String> defaultAuthorizers = new java.util.HashMap<>();
        apis.forEach((id, api) -> {
            Map<String, Object> auth = Y.map(Y.get(api, "Properties", "Auth"));
            String name = Y.str(auth.get("DefaultAuthorizer"));
            Map<String, Object> authorizer = Y.map(Y.get(auth, "Authorizers", name));
            String fnRef = Y.ref(authorizer.get("FunctionArn"));
            String fn = fnRef == null ? Y.getAtt(authorizer.get("FunctionArn"), "Arn") : fnRef.replaceFirst("\\.Alias$", "");
            if (name == null || authorizer.isEmpty()) {
                problems.add(id + ": no DefaultAuthorizer");
            } else if (fn == null || !functions.containsKey(fn) || !"TOKEN".equals(authorizer.get("FunctionPayloadType"))
                    || !"Authorization".equals(Y.get(authorizer, "Identity", "Header"))) {
                problems.add(id + ": DefaultAuthorizer " + name + " is not a TOKEN authorizer function of this template"
                        + " reading the Authorization header");
            } else {
                defaultAuthorizers.put(id, name);
            }
            if (!Boolean.FALSE.equals(auth.get("AddDefaultAuthorizerToCorsPreflight"))) {
                problems.add(id + ": AddDefaultAuthorizerToCorsPreflight is not false (preflight never needs a token)");
            }
        });
        for (CfnTemplate.Route route : t.routes()) {
            String api = route.restApiId();
            if (api == null || !defaultAuthorizers.containsKey(api)) {
                problems.add(route.key() + " (" + route.functionId() + "): not on a REST API with the authorizer");
                continue;
            }
            Object authorizer = Y.get(route.event(), "Auth", "Authorizer");
            boolean publicRoute = route.isPublic();
            if (publicRoute != meantToBePublic(route)) {
                problems.add(route.key() + " (" + route.functionId() + "): " + (publicRoute ? "public but must be behind the authorizer"
                        : "behind the authorizer but meant to be public"));
            } else if (!publicRoute && authorizer != null && !authorizer.equals(defaultAuthorizers.get(api))) {
                problems.add(route.key() + " (" + route.functionId() + "): Authorizer " + authorizer + " instead of the default");
            }
        }
        functions.forEach((id, fn) -> {
            if (Y.get(fn, "Properties", "FunctionUrlConfig") != null) {
                problems.add(id + ": a function URL bypasses the API and its authorizer");
            }
            t.events(id).forEach((eventId, event) -> {
                if ("HttpApi".equals(event.get("Type"))) {
                    problems.add(id + "." + eventId + ": an HTTP API event bypasses the REST API's authorizer");
                }
            });
        });
        return problems;
    }

    /** A stage-wide limit ({@code /*}, {@code *}), and one for each public /auth/* route. */
    static List<String> throttling(CfnTemplate t) {
        List<String> problems = new ArrayList<>();
        t.resourcesOfType(CfnTemplate.API).forEach((id, api) -> {
            List<Object> settings = Y.list(Y.get(api, "Properties", "MethodSettings"));
            if (!throttled(t, settings, "/*", "*")) {
                problems.add(id + ": no stage-wide throttling (MethodSettings /* *)");
            }
            for (CfnTemplate.Route route : t.routes()) {
                if (id.equals(route.restApiId()) && route.path().startsWith("/auth/") && !route.method().equals("OPTIONS")
                        && !throttled(t, settings, "/" + route.path().replace("/", "~1"), route.method())) {
                    problems.add(id + ": no throttling of its own for " + route.key());
                }
            }
        });
        return problems;
    }

    private static boolean throttled(CfnTemplate t, List<Object> settings, String resourcePath, String method) {
        for (Object s : settings) {
            if (resourcePath.equals(Y.get(s, "ResourcePath")) && method.equals(Y.get(s, "HttpMethod"))) {
                return positive(t, Y.get(s, "ThrottlingRateLimit")) && positive(t, Y.get(s, "ThrottlingBurstLimit"));
            }
        }
        return false;
    }

    private static boolean positive(CfnTemplate t, Object value) {
        Map<String, Object> param = t.referencedParameter(value);
        Object n = param != null ? param.get("Default") : value;
        return n != null && Double.parseDouble(Y.str(n)) > 0;
    }

    /**
     * Every log group has a retention; every function logs into one of them (Globals or its own LoggingConfig);
     * every API writes access logs into one; no API Gateway execution logs (they go to a group without retention).
     */
    static List<String> logRetention(CfnTemplate t) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> groups = t.resourcesOfType(LOG_GROUP);
        Set<String> retained = new LinkedHashSet<>();
        groups.forEach((id, g) -> {
            if (positive(t, Y.get(g, "Properties", "RetentionInDays"))) {
                retained.add(id);
            } else {
                problems.add(id + ": no RetentionInDays");
            }
        });
        String globalGroup = Y.ref(Y.get(t.globalsFunction(), "LoggingConfig", "LogGroup"));
        t.functions().forEach((id, fn) -> {
            Object own = Y.get(fn, "Properties", "LoggingConfig", "LogGroup");
            String group = own != null ? Y.ref(own) : globalGroup;
            if (group == null || !retained.contains(group)) {
                problems.add(id + ": logs to " + (group == null ? "/aws/lambda/<function> (no retention)" : group)
                        + ", not to a log group of this template with retention");
            }
        });
        t.resourcesOfType(CfnTemplate.API).forEach((id, api) -> {
            String group = Y.getAtt(Y.get(api, "Properties", "AccessLogSetting", "DestinationArn"), "Arn");
            if (group == null || !retained.contains(group)) {
                problems.add(id + ": access logs are not written to a log group of this template with retention");
            }
            for (Object s : Y.list(Y.get(api, "Properties", "MethodSettings"))) {
                Object level = Y.get(s, "LoggingLevel");
                if (level != null && !"OFF".equals(level)) {
                    problems.add(id + ": execution logging " + level + " writes to API-Gateway-Execution-Logs_* without retention");
                }
            }
        });
        return problems;
    }

    /** The gateway's own 401, 403, 429, 4xx and 5xx carry CORS headers and a problem body; 429 a Retry-After. */
    static List<String> gatewayResponsesCarryCorsAndProblems(CfnTemplate t) {
        List<String> problems = new ArrayList<>();
        t.resourcesOfType(CfnTemplate.API).forEach((id, api) -> {
            Map<String, Object> responses = Y.map(Y.get(api, "Properties", "GatewayResponses"));
            for (String type : List.of("UNAUTHORIZED", "ACCESS_DENIED", "THROTTLED", "DEFAULT_4XX", "DEFAULT_5XX")) {
                Map<String, Object> response = Y.map(responses.get(type));
                Map<String, Object> headers = Y.map(Y.get(response, "ResponseParameters", "Headers"));
                String body = Y.str(Y.get(response, "ResponseTemplates", "application/json"));
                if (response.isEmpty()) {
                    problems.add(id + ": no GatewayResponses." + type);
                    continue;
                }
                if (!headers.containsKey("Access-Control-Allow-Origin")) {
                    problems.add(id + ": GatewayResponses." + type + " has no Access-Control-Allow-Origin");
                }
                if (body == null || !body.contains("\"code\"") || !body.contains("\"requestId\"")) {
                    problems.add(id + ": GatewayResponses." + type + " has no problem body with code and requestId");
                }
                if (type.equals("THROTTLED") && !headers.containsKey("Retry-After")) {
                    problems.add(id + ": GatewayResponses.THROTTLED has no Retry-After");
                }
            }
        });
        return problems;
    }

    /** The gateway responses the API relies on: what API Gateway answers by itself for 401, 403, 404, 413, 429, 4xx, 5xx. */
    static final List<String> GATEWAY_RESPONSE_TYPES = List.of("UNAUTHORIZED", "ACCESS_DENIED", "MISSING_AUTHENTICATION_TOKEN",
            "REQUEST_TOO_LARGE", "THROTTLED", "DEFAULT_4XX", "DEFAULT_5XX");

    /**
     * SECURITY.md 33 (issue 16 finding 8): every answer API Gateway generates is {@code no-store} and {@code nosniff}, and
     * never reflects the request's Origin. A gateway response can only copy a request value or a fixed string, so the
     * Access-Control-Allow-Origin of each is evaluated for one and for two AllowedOrigins: the single origin, then '*'.
     */
    static List<String> gatewayResponsesNeverReflectTheOrigin(CfnTemplate t) {
        List<String> problems = new ArrayList<>();
        List<String> one = List.of("https://app.example.com");
        List<String> two = List.of("https://app.example.com", "https://admin.example.com");
        t.resourcesOfType(CfnTemplate.API).forEach((id, api) -> {
            Map<String, Object> responses = Y.map(Y.get(api, "Properties", "GatewayResponses"));
            for (String type : GATEWAY_RESPONSE_TYPES) {
                if (!responses.containsKey(type)) {
                    problems.add(id + ": no GatewayResponses." + type + " (API Gateway's default would answer it)");
                }
            }
            responses.forEach((type, response) -> {
                Map<String, Object> headers = Y.map(Y.get(response, "ResponseParameters", "Headers"));
                String where = id + ": GatewayResponses." + type;
                if (!"'no-store'".equals(headers.get("Cache-Control"))) {
                    problems.add(where + " has no Cache-Control 'no-store'");
                }
                if (!"'nosniff'".equals(headers.get("X-Content-Type-Options"))) {
                    problems.add(where + " has no X-Content-Type-Options 'nosniff'");
                }
                for (Map.Entry<String, Object> header : headers.entrySet()) {
                    if (String.valueOf(header.getValue()).contains("method.request.")) {
                        problems.add(where + " copies a request value into " + header.getKey());
                    }
                }
                Object origin = headers.get("Access-Control-Allow-Origin");
                if (origin == null) {
                    problems.add(where + " has no Access-Control-Allow-Origin");
                    return;
                }
                try {
                    Object withOne = evaluate(t, origin, Map.of("AllowedOrigins", one));
                    Object withTwo = evaluate(t, origin, Map.of("AllowedOrigins", two));
                    if (!("'" + one.get(0) + "'").equals(withOne)) {
                        problems.add(where + ": Access-Control-Allow-Origin is " + withOne + " with the single allowed origin " + one.get(0));
                    }
                    if (!"'*'".equals(withTwo)) {
                        problems.add(where + ": Access-Control-Allow-Origin is " + withTwo + " with several allowed origins, not '*'");
                    }
                } catch (IllegalArgumentException e) {
                    problems.add(where + ": Access-Control-Allow-Origin cannot be evaluated: " + e.getMessage());
                }
            });
        });
        return problems;
    }

    /**
     * Issue 16 finding 11: the authorizer's ValidationExpression (which API Gateway applies before the function runs, and
     * which the local gateway applies as written) accepts RFC 6750's credentials: "Bearer" in any case, one or more
     * spaces, a b64token; and nothing else.
     */
    static List<String> authorizerValidationExpressionFollowsRfc6750(CfnTemplate t) {
        List<String> problems = new ArrayList<>();
        List<String> accepted = List.of("Bearer abc.DEF-1_2~3+4/5==", "bearer abc", "BEARER abc", "bEaReR abc", "Bearer   abc");
        List<String> refused = List.of("", "Bearer", "Bearer ", "Bearerabc", "Basic abc", "Bearer abc def", "Bearer abc=x",
                "Bearer\tabc", " Bearer abc", "Bearer <script>", "Token Bearer abc");
        t.resourcesOfType(CfnTemplate.API).forEach((id, api) -> Y.map(Y.get(api, "Properties", "Auth", "Authorizers")).forEach((name, a) -> {
            String expression = Y.str(Y.get(a, "Identity", "ValidationExpression"));
            if (expression == null) {
                problems.add(id + ": authorizer " + name + " has no ValidationExpression (every header reaches the function)");
                return;
            }
            Pattern pattern = Pattern.compile(expression);
            accepted.stream().filter(v -> !pattern.matcher(v).matches())
                    .forEach(v -> problems.add(id + ": authorizer " + name + " refuses \"" + v + "\""));
            refused.stream().filter(v -> pattern.matcher(v).matches())
                    .forEach(v -> problems.add(id + ": authorizer " + name + " accepts \"" + v + "\""));
        }));
        return problems;
    }

    /**
     * The value of a template expression with the given list parameters: Ref, Fn::If with the template's Conditions,
     * Fn::Equals, Fn::Not, Fn::And, Fn::Or, Fn::Select, Fn::Join, Fn::Sub; anything else is refused.
     */
    static Object evaluate(CfnTemplate t, Object node, Map<String, List<String>> parameters) {
        if (node instanceof String || node instanceof Number || node instanceof Boolean) {
            return node;
        }
        if (node instanceof List<?> items) {
            return items.stream().map(i -> evaluate(t, i, parameters)).toList();
        }
        Map<String, Object> map = Y.map(node);
        if (map.size() != 1) {
            throw new IllegalArgumentException("not an expression: " + node);
        }
        Map.Entry<String, Object> fn = map.entrySet().iterator().next();
        Object args = fn.getValue();
        return switch (fn.getKey()) {
            case "Ref" -> {
                List<String> value = parameters.get(String.valueOf(args));
                if (value == null) {
                    throw new IllegalArgumentException("unknown parameter " + args);
                }
                yield value;
            }
            case "Condition" -> condition(t, String.valueOf(args), parameters);
            case "Fn::If" -> {
                List<Object> a = Y.list(args);
                yield evaluate(t, condition(t, String.valueOf(a.get(0)), parameters) ? a.get(1) : a.get(2), parameters);
            }
            case "Fn::Equals" -> {
                List<Object> a = Y.list(args);
                yield Objects.equals(evaluate(t, a.get(0), parameters), evaluate(t, a.get(1), parameters));
            }
            case "Fn::Not" -> !Boolean.TRUE.equals(evaluate(t, Y.list(args).get(0), parameters));
            case "Fn::And" -> Y.list(args).stream().allMatch(c -> Boolean.TRUE.equals(evaluate(t, c, parameters)));
            case "Fn::Or" -> Y.list(args).stream().anyMatch(c -> Boolean.TRUE.equals(evaluate(t, c, parameters)));
            case "Fn::Select" -> {
                List<Object> a = Y.list(args);
                List<Object> from = Y.list(evaluate(t, a.get(1), parameters));
                yield from.get(Integer.parseInt(String.valueOf(evaluate(t, a.get(0), parameters))));
            }
            case "Fn::Join" -> {
                List<Object> a = Y.list(args);
                yield String.join(String.valueOf(a.get(0)), Y.list(evaluate(t, a.get(1), parameters)).stream().map(String::valueOf).toList());
            }
            case "Fn::Sub" -> {
                String template = args instanceof List<?> a ? String.valueOf(a.get(0)) : String.valueOf(args);
                Map<String, Object> variables = args instanceof List<?> a && a.size() > 1 ? Y.map(a.get(1)) : Map.of();
                Matcher m = Pattern.compile("\\$\\{([^}]+)}").matcher(template);
                StringBuilder out = new StringBuilder();
                while (m.find()) {
                    Object value = variables.containsKey(m.group(1)) ? evaluate(t, variables.get(m.group(1)), parameters)
                            : evaluate(t, Map.of("Ref", m.group(1)), parameters);
                    m.appendReplacement(out, Matcher.quoteReplacement(String.valueOf(value)));
                }
                m.appendTail(out);
                yield out.toString();
            }
            default -> throw new IllegalArgumentException("unsupported " + fn.getKey());
        };
    }

    private static boolean condition(CfnTemplate t, String name, Map<String, List<String>> parameters) {
        Object definition = Y.get(t.root(), "Conditions", name);
        if (definition == null) {
            throw new IllegalArgumentException("no condition " + name);
        }
        return Boolean.TRUE.equals(evaluate(t, definition, parameters));
    }


    // ------------------------------------------------------------------------------------------------------------
    // Production on AWS (issue 17): one stage, the account's logging role, WAF, data kept, SnapStart, least privilege
    // ------------------------------------------------------------------------------------------------------------

    /**
     * One stage per API: an OpenApiVersion (on the API or in Globals.Api) stops SAM from adding the stage "Stage",
     * which would serve every route without the stage's throttling, access logs and WAF. No hand-made stages or
     * deployments either, and every API Gateway invoke permission written in the template names the stage.
     */
    static List<String> oneStageOnly(CfnTemplate t) {
        List<String> problems = new ArrayList<>();
        Object global = Y.get(t.root(), "Globals", "Api", "OpenApiVersion");
        t.resourcesOfType(CfnTemplate.API).forEach((id, api) -> {
            if (global == null && Y.get(api, "Properties", "OpenApiVersion") == null) {
                problems.add(id + ": no OpenApiVersion, so SAM also creates a stage named Stage");
            }
        });
        for (String type : List.of("AWS::ApiGateway::Stage", "AWS::ApiGateway::Deployment", "AWS::ApiGatewayV2::Stage")) {
            t.resourcesOfType(type).keySet().forEach(id -> problems.add(id + ": a second stage or deployment (" + type + ")"));
        }
        t.resourcesOfType("AWS::Lambda::Permission").forEach((id, r) -> {
            Map<String, Object> p = Y.map(r.get("Properties"));
            if ("apigateway.amazonaws.com".equals(p.get("Principal"))) {
                String arn = Y.str(Y.get(p, "SourceArn", "Fn::Sub"));
                if (arn == null || !arn.contains("/${Stage}/") && !arn.contains("/${Api.Stage}/")) {
                    problems.add(id + ": API Gateway may invoke the function from any stage (SourceArn " + p.get("SourceArn") + ")");
                }
            }
        });
        return problems;
    }

    /**
     * A fresh account has no API Gateway CloudWatch Logs role, and a stage with access logs fails without it: the
     * template sets it (AWS::ApiGateway::Account with the logging role) under a condition, and the API waits for it.
     */
    static List<String> apiGatewayAccountSetBeforeTheStage(CfnTemplate t) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> resources = t.resources();
        Map<String, Map<String, Object>> accounts = t.resourcesOfType("AWS::ApiGateway::Account");
        if (accounts.size() != 1) {
            problems.add("expected one AWS::ApiGateway::Account, found " + accounts.keySet());
            return problems;
        }
        String accountId = accounts.keySet().iterator().next();
        Map<String, Object> account = accounts.get(accountId);
        String role = Y.getAtt(Y.get(account, "Properties", "CloudWatchRoleArn"), "Arn");
        if (role == null || !resources.containsKey(role) || !isApiGatewayLoggingRole(Y.map(Y.get(resources.get(role), "Properties")))) {
            problems.add(accountId + ": CloudWatchRoleArn is not a role of this template for API Gateway with AmazonAPIGatewayPushToCloudWatchLogs");
        }
        Object condition = account.get("Condition");
        if (condition == null || !Objects.equals(condition, resources.getOrDefault(role, Map.of()).get("Condition"))) {
            problems.add(accountId + ": not behind a condition shared with its role (accounts that already have one must be able to skip it)");
        } else if (!Y.map(Y.get(t.root(), "Conditions")).containsKey(Y.str(condition))) {
            problems.add(accountId + ": unknown condition " + condition);
        }
        t.resourcesOfType(CfnTemplate.API).forEach((id, api) -> {
            boolean waits = false;
            for (Object dependency : Y.list(api.get("DependsOn"))) {
                String dep = Y.str(dependency);
                if (accountId.equals(dep)) {
                    waits = true;
                } else if (resources.containsKey(dep)) {
                    List<Object> ifArgs = Y.list(Y.get(resources.get(dep), "Metadata", "ApiGatewayAccount", "Fn::If"));
                    waits |= ifArgs.size() == 3 && condition != null && condition.equals(ifArgs.get(0)) && accountId.equals(Y.ref(ifArgs.get(1)));
                }
            }
            if (!waits) {
                problems.add(id + ": does not depend on " + accountId + " (its stage could be created before the logging role is set)");
            }
        });
        return problems;
    }

    /**
     * A REGIONAL WAF web ACL, on by default, on the API's stage: a per-IP rate-based rule scoped down to /auth/ and
     * a global per-IP one, both with limits from parameters, AWS managed rule groups, metrics on every rule; and on
     * the user pool whenever the hosted UI is on.
     */
    static List<String> wafOnTheStageAndTheHostedUi(CfnTemplate t) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> acls = t.resourcesOfType("AWS::WAFv2::WebACL");
        if (acls.size() != 1) {
            problems.add("expected one AWS::WAFv2::WebACL, found " + acls.keySet());
            return problems;
        }
        String aclId = acls.keySet().iterator().next();
        Map<String, Object> acl = acls.get(aclId);
        Map<String, Object> p = Y.map(acl.get("Properties"));
        if (!"REGIONAL".equals(p.get("Scope"))) {
            problems.add(aclId + ": Scope " + p.get("Scope") + ", not REGIONAL");
        }
        String condition = Y.str(acl.get("Condition"));
        if (condition != null) {
            List<Object> eq = Y.list(Y.get(t.root(), "Conditions", condition, "Fn::Equals"));
            Map<String, Object> param = eq.isEmpty() ? null : t.referencedParameter(eq.get(0));
            if (param == null || eq.size() != 2 || !Objects.equals(Y.str(param.get("Default")), Y.str(eq.get(1)))) {
                problems.add(aclId + ": condition " + condition + " is not <parameter> equals its default (WAF must be on by default)");
            }
        }
        if (!Boolean.TRUE.equals(Y.get(p, "VisibilityConfig", "CloudWatchMetricsEnabled"))) {
            problems.add(aclId + ": no CloudWatch metrics");
        }
        boolean authRule = false;
        boolean globalRule = false;
        Set<String> managed = new LinkedHashSet<>();
        for (Object rule : Y.list(p.get("Rules"))) {
            String name = Y.str(Y.get(rule, "Name"));
            if (!Boolean.TRUE.equals(Y.get(rule, "VisibilityConfig", "CloudWatchMetricsEnabled"))) {
                problems.add(aclId + ": rule " + name + " has no CloudWatch metrics");
            }
            Object group = Y.get(rule, "Statement", "ManagedRuleGroupStatement");
            if (group != null) {
                managed.add(Y.str(Y.get(group, "Name")));
                if (Y.get(rule, "OverrideAction", "Count") != null) {
                    problems.add(aclId + ": managed rule group " + name + " only counts");
                }
            }
            Map<String, Object> rate = Y.map(Y.get(rule, "Statement", "RateBasedStatement"));
            if (rate.isEmpty() || Y.get(rule, "Action", "Block") == null || !"IP".equals(rate.get("AggregateKeyType"))
                    || t.referencedParameter(rate.get("Limit")) == null) {
                continue;
            }
            // a rate block is throttling: the contract's 429 TooManyRequests with Retry-After, not WAF_FILTERED's 403
            Map<String, Object> answer = Y.map(Y.get(rule, "Action", "Block", "CustomResponse"));
            boolean retryAfter = Y.list(answer.get("ResponseHeaders")).stream().anyMatch(h -> "Retry-After".equals(Y.get(h, "Name")));
            String bodyText = Y.str(Y.get(p, "CustomResponseBodies", Y.str(answer.get("CustomResponseBodyKey")), "Content"));
            if (!"429".equals(String.valueOf(answer.get("ResponseCode"))) || !retryAfter || bodyText == null
                    || !bodyText.contains("\"code\":\"TooManyRequests\"")) {
                problems.add(aclId + ": rate rule " + name + " does not answer 429 TooManyRequests with Retry-After");
            }
            Object scope = rate.get("ScopeDownStatement");
            if (scope == null) {
                globalRule = true;
            } else if (Y.get(scope, "ByteMatchStatement", "FieldToMatch", "UriPath") != null
                    && "/auth/".equals(Y.get(scope, "ByteMatchStatement", "SearchString"))) {
                authRule = true;
            }
        }
        if (!authRule) {
            problems.add(aclId + ": no blocking per-IP rate-based rule scoped down to /auth/ with its limit from a parameter");
        }
        if (!globalRule) {
            problems.add(aclId + ": no blocking per-IP rate-based rule over every request with its limit from a parameter");
        }
        for (String group : List.of("AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesAmazonIpReputationList")) {
            if (!managed.contains(group)) {
                problems.add(aclId + ": managed rule group " + group + " is missing");
            }
        }
        boolean onStage = false;
        boolean onPool = false;
        for (var e : t.resourcesOfType("AWS::WAFv2::WebACLAssociation").entrySet()) {
            Map<String, Object> a = Y.map(e.getValue().get("Properties"));
            if (!aclId.equals(Y.getAtt(a.get("WebACLArn"), "Arn"))) {
                continue;
            }
            String arn = Y.str(Y.get(a, "ResourceArn", "Fn::Sub"));
            String pool = Y.getAtt(a.get("ResourceArn"), "Arn");
            if (arn != null && arn.matches(".*:apigateway:\\$\\{AWS::Region}::/restapis/\\$\\{(\\w+)}/stages/\\$\\{\\1\\.Stage}")) {
                onStage = Objects.equals(e.getValue().get("Condition"), acl.get("Condition"));
            } else if (pool != null && POOL.equals(Y.get(t.resources().get(pool), "Type"))) {
                List<Object> and = Y.list(Y.get(t.root(), "Conditions", Y.str(e.getValue().get("Condition")), "Fn::And"));
                onPool = and.stream().anyMatch(c -> Objects.equals(Y.get(c, "Condition"), acl.get("Condition")))
                        && and.stream().anyMatch(c -> "HasOAuthDomain".equals(Y.get(c, "Condition")));
            }
        }
        if (!onStage) {
            problems.add(aclId + ": not associated with the API's stage (${Api.Stage}) whenever it exists");
        }
        if (!onPool) {
            problems.add(aclId + ": not associated with the user pool when the hosted UI (HasOAuthDomain) is on");
        }
        return problems;
    }

    /** With protection on, the pool and the table outlive the stack and a replacement; unprotected stacks delete them. */
    static List<String> dataRetainedWhenProtected(CfnTemplate t) {
        List<String> problems = new ArrayList<>();
        for (String type : List.of(POOL, TABLE)) {
            t.resourcesOfType(type).forEach((id, r) -> {
                List<Object> ifArgs = Y.list(Y.get(r.get("DeletionPolicy"), "Fn::If"));
                if (ifArgs.size() != 3 || !isActiveCondition(t, Y.str(ifArgs.get(0))) || !"Retain".equals(ifArgs.get(1))
                        || !"Delete".equals(ifArgs.get(2))) {
                    problems.add(id + ": DeletionPolicy is " + r.get("DeletionPolicy") + ", not !If [<DeletionProtection equals ACTIVE>, Retain, Delete]");
                }
                if (!"Retain".equals(r.get("UpdateReplacePolicy"))) {
                    problems.add(id + ": UpdateReplacePolicy is " + r.get("UpdateReplacePolicy") + ", not Retain");
                }
            });
        }
        List<Object> transforms = Y.list(t.root().get("Transform"));
        if (!transforms.contains("AWS::LanguageExtensions")) {
            problems.add("Fn::If in DeletionPolicy needs the AWS::LanguageExtensions transform");
        }
        return problems;
    }

    /**
     * SnapStart on every function (Globals or its own): AutoPublishAlias and ApplyOn PublishedVersions; whatever
     * invokes a function outside the API (the authorizer, the Cognito triggers and their permissions) names the alias.
     */
    static List<String> snapStartEverywhere(CfnTemplate t) {
        List<String> problems = new ArrayList<>();
        Map<String, Object> globals = t.globalsFunction();
        t.functions().forEach((id, fn) -> {
            Map<String, Object> p = Y.map(fn.get("Properties"));
            Object alias = p.containsKey("AutoPublishAlias") ? p.get("AutoPublishAlias") : globals.get("AutoPublishAlias");
            Object snap = p.containsKey("SnapStart") ? Y.get(p, "SnapStart", "ApplyOn") : Y.get(globals, "SnapStart", "ApplyOn");
            if (alias == null || !"PublishedVersions".equals(snap)) {
                problems.add(id + ": no SnapStart (AutoPublishAlias " + alias + ", ApplyOn " + snap + ")");
            }
        });
        Map<String, Map<String, Object>> resources = t.resources();
        List<Object> references = new ArrayList<>();
        t.resourcesOfType(CfnTemplate.API).values().forEach(api -> Y.map(Y.get(api, "Properties", "Auth", "Authorizers"))
                .values().forEach(a -> references.add(Y.get(a, "FunctionArn"))));
        t.resourcesOfType(POOL).values().forEach(pool -> walk(Y.get(pool, "Properties", "LambdaConfig"), "LambdaConfig",
                (path, key, value) -> {
                    if (!(value instanceof Map) && !(value instanceof List)) {
                        return;
                    }
                    if (value instanceof Map<?, ?> m && (m.containsKey("Ref") || m.containsKey("Fn::GetAtt"))) {
                        references.add(value);
                    }
                }));
        t.resourcesOfType("AWS::Lambda::Permission").values().forEach(r -> references.add(Y.get(r, "Properties", "FunctionName")));
        for (Object reference : references) {
            String ref = Y.ref(reference);
            if (ref == null || !ref.endsWith(".Alias") || !CfnTemplate.FUNCTION.equals(Y.get(resources.get(ref.replaceFirst("\\.Alias$", "")), "Type"))) {
                problems.add("invokes " + reference + ", not the alias (!Ref <Function>.Alias) of a function of this template");
            }
        }
        return problems;
    }

    /** The access log is one JSON object per request with the fields operations need. */
    static final Map<String, String> ACCESS_LOG_VARIABLES = Map.ofEntries(Map.entry("requestId", "$context.requestId"),
            Map.entry("requestTime", "$context.requestTime"), Map.entry("ip", "$context.identity.sourceIp"),
            Map.entry("userAgent", "$context.identity.userAgent"), Map.entry("principal", "$context.authorizer.principalId"),
            Map.entry("status", "$context.status"), Map.entry("integrationStatus", "$context.integration.status"),
            Map.entry("integrationError", "$context.integration.error"), Map.entry("responseLength", "$context.responseLength"),
            Map.entry("xrayTraceId", "$context.xrayTraceId"), Map.entry("authorizerError", "$context.authorizer.error"));

    static List<String> accessLogFormat(CfnTemplate t) {
        List<String> problems = new ArrayList<>();
        t.resourcesOfType(CfnTemplate.API).forEach((id, api) -> {
            String format = Y.str(Y.get(api, "Properties", "AccessLogSetting", "Format"));
            Map<String, Object> fields;
            try {
                fields = format == null ? Map.of() : new com.fasterxml.jackson.databind.ObjectMapper().readValue(format,
                        new com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>>() { });
            } catch (java.io.IOException e) {
                problems.add(id + ": the access log format is not one JSON object: " + e.getMessage());
                return;
            }
            ACCESS_LOG_VARIABLES.forEach((field, variable) -> {
                if (!variable.equals(fields.get(field))) {
                    problems.add(id + ": access log field " + field + " is " + fields.get(field) + ", not " + variable);
                }
            });
        });
        return problems;
    }

    // ------------------------------------------------------------------------------------------------------------

    private static List<String> eachPool(CfnTemplate t, java.util.function.BiFunction<String, Map<String, Object>, String> check) {
        return each(t, POOL, check);
    }

    private static List<String> eachClient(CfnTemplate t, java.util.function.BiFunction<String, Map<String, Object>, String> check) {
        return each(t, CLIENT, check);
    }

    private static List<String> each(CfnTemplate t, String type, java.util.function.BiFunction<String, Map<String, Object>, String> check) {
        List<String> problems = new ArrayList<>();
        Map<String, Map<String, Object>> resources = t.resourcesOfType(type);
        if (resources.isEmpty()) {
            problems.add("no " + type + " in the template");
        }
        resources.forEach((id, r) -> {
            String problem = check.apply(id, Y.map(r.get("Properties")));
            if (problem != null) {
                problems.add(problem);
            }
        });
        return problems;
    }

    interface Visitor {
        void visit(String path, String key, Object value);
    }

    static void walk(Object node, String path, Visitor visitor) {
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> {
                visitor.visit(path, Y.str(k), v);
                walk(v, path + "." + k, visitor);
            });
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) {
                walk(l.get(i), path + "[" + i + "]", visitor);
            }
        }
    }

    /** Every rule by the name the tests use. */
    static Map<String, Function<CfnTemplate, List<String>>> all() {
        Map<String, Function<CfnTemplate, List<String>>> rules = new java.util.LinkedHashMap<>();
        rules.put("preventUserExistenceErrors", SecurityRules::preventUserExistenceErrors);
        rules.put("tokenRevocation", SecurityRules::tokenRevocation);
        rules.put("tokenValidity", SecurityRules::tokenValidity);
        rules.put("passwordPolicy", SecurityRules::passwordPolicy);
        rules.put("emailUsernamesCaseInsensitive", SecurityRules::emailUsernamesCaseInsensitive);
        rules.put("optionalTotpMfa", SecurityRules::optionalTotpMfa);
        rules.put("deletionProtectionParameterised", SecurityRules::deletionProtectionParameterised);
        rules.put("clientCannotWriteRoleLikeAttributes", SecurityRules::clientCannotWriteRoleLikeAttributes);
        rules.put("noWildcardResource", SecurityRules::noWildcardResource);
        rules.put("iamStatementsScopedToTableIndexOrPool", SecurityRules::iamStatementsScopedToTableIndexOrPool);
        rules.put("cognitoInvokePermissionsScopedToThePool", SecurityRules::cognitoInvokePermissionsScopedToThePool);
        rules.put("routesBehindTheAuthorizer", SecurityRules::routesBehindTheAuthorizer);
        rules.put("throttling", SecurityRules::throttling);
        rules.put("logRetention", SecurityRules::logRetention);
        rules.put("gatewayResponsesCarryCorsAndProblems", SecurityRules::gatewayResponsesCarryCorsAndProblems);
        rules.put("gatewayResponsesNeverReflectTheOrigin", SecurityRules::gatewayResponsesNeverReflectTheOrigin);
        rules.put("authorizerValidationExpressionFollowsRfc6750", SecurityRules::authorizerValidationExpressionFollowsRfc6750);
        rules.put("oneStageOnly", SecurityRules::oneStageOnly);
        rules.put("apiGatewayAccountSetBeforeTheStage", SecurityRules::apiGatewayAccountSetBeforeTheStage);
        rules.put("wafOnTheStageAndTheHostedUi", SecurityRules::wafOnTheStageAndTheHostedUi);
        rules.put("dataRetainedWhenProtected", SecurityRules::dataRetainedWhenProtected);
        rules.put("snapStartEverywhere", SecurityRules::snapStartEverywhere);
        rules.put("accessLogFormat", SecurityRules::accessLogFormat);
        return rules;
    }
}

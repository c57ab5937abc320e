package dev.userapi.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What the template grants each function, and how it is operated (issue 17): each function's IAM actions are listed
 * here, so that widening one is a deliberate change to this list; the alarms and the dashboard cover what
 * docs/DEPLOY.md says they cover. Nothing local would notice a missing permission or alarm before AWS does.
 */
class TemplateOperationsTest {
    /**
     * The DynamoDB and Cognito actions each function calls (read from its handler and the services and repositories
     * it uses). The public functions that complete a sign-in (login, MFA, new password, OAuth callback) hold the
     * group actions because completing a sign-in heals a missing profile and mirrors its roles (RoleMirror).
     */
    /** What completing a sign-in or healing a profile calls: the Cognito group mirror of the roles. */
    private static final Set<String> GROUP_MIRROR = Set.of("cognito-idp:AdminAddUserToGroup", "cognito-idp:AdminListGroupsForUser", "cognito-idp:AdminRemoveUserFromGroup");
    /** ... and the profile's creation with its administrator count. */
    private static final Set<String> PROVISIONING = Set.of("dynamodb:ConditionCheckItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem");

    /** ... and the counters of password and code guesses (docs/SECURITY.md item 29). */
    private static final Set<String> ATTEMPTS = Set.of("dynamodb:BatchGetItem", "dynamodb:DeleteItem", "dynamodb:UpdateItem");

    /**
     * ... and the app client's secret (read once with DescribeUserPoolClient: never in an environment variable), for
     * every function that calls a flow Cognito checks the secret on (docs/SECURITY.md item 31).
     */
    private static final Set<String> SECRET = Set.of("cognito-idp:DescribeUserPoolClient");
    /** ... with the server-side sign-in (a password sign-in, a refresh). */
    private static final Set<String> SIGN_IN = union(SECRET, Set.of("cognito-idp:AdminInitiateAuth"));
    /** ... and its challenges (TOTP, new password). */
    private static final Set<String> CHALLENGES = union(SIGN_IN, Set.of("cognito-idp:AdminRespondToAuthChallenge"));

    static final Map<String, Set<String>> ACTIONS = withActivity(Map.ofEntries(
            Map.entry("AuthorizerFunction", Set.of("dynamodb:GetItem")),
            // ... and, for a profile whose Cognito user is gone (deleted outside the API, item 31), its retirement
            // ... and, where it was an organization's last owner, the hand-over or the emptied organization's deletion
            Map.entry("PostConfirmationFunction", union(GROUP_MIRROR, PROVISIONING, Set.of("cognito-idp:AdminGetUser", "dynamodb:BatchWriteItem",
                    "dynamodb:DeleteItem", "dynamodb:Query"))),
            Map.entry("PreTokenGenerationFunction", Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")),
            Map.entry("CorsPreflightFunction", Set.of()),
            Map.entry("HealthFunction", Set.of()),
            Map.entry("SignUpFunction", SECRET),
            Map.entry("ConfirmSignUpFunction", union(PROVISIONING, ATTEMPTS, SIGN_IN, Set.of("cognito-idp:AdminGetUser", "cognito-idp:AdminSetUserPassword",
                    "cognito-idp:AdminUserGlobalSignOut", "dynamodb:DeleteItem", "dynamodb:Query"))),
            Map.entry("ResendCodeFunction", SECRET),
            Map.entry("LoginFunction", union(PROVISIONING, ATTEMPTS, SIGN_IN)),
            Map.entry("LoginMfaFunction", union(PROVISIONING, ATTEMPTS, CHALLENGES)),
            Map.entry("LoginNewPasswordFunction", union(PROVISIONING, CHALLENGES)),
            Map.entry("RefreshFunction", union(SIGN_IN, Set.of("cognito-idp:AdminGetUser", "dynamodb:DeleteItem", "dynamodb:GetItem",
                    "dynamodb:PutItem", "dynamodb:UpdateItem"))),
            Map.entry("LogoutFunction", union(SECRET, Set.of("dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"))),
            Map.entry("ForgotPasswordFunction", SECRET),
            Map.entry("ResetPasswordFunction", union(ATTEMPTS, SECRET, Set.of("cognito-idp:AdminGetUser", "cognito-idp:AdminUserGlobalSignOut",
                    "dynamodb:DeleteItem", "dynamodb:GetItem",
                    "dynamodb:Query", "dynamodb:UpdateItem"))),
            Map.entry("ReauthenticateFunction", union(PROVISIONING, ATTEMPTS, CHALLENGES, Set.of("dynamodb:DeleteItem"))),
            Map.entry("OAuthLoginFunction", Set.of("dynamodb:PutItem")),
            Map.entry("OAuthCallbackFunction", union(PROVISIONING, SIGN_IN, Set.of("dynamodb:DeleteItem"))),
            Map.entry("GetMeFunction", union(PROVISIONING)),
            Map.entry("UpdateMeFunction", Set.of("dynamodb:GetItem", "dynamodb:UpdateItem")),
            Map.entry("DeleteMeFunction", union(PROVISIONING, Set.of("dynamodb:DeleteItem", "dynamodb:Query"))),
            Map.entry("ChangePasswordFunction", union(PROVISIONING, ATTEMPTS, SIGN_IN, Set.of("cognito-idp:AdminUserGlobalSignOut", "dynamodb:DeleteItem",
                    "dynamodb:Query"))),
            Map.entry("StartTotpFunction", Set.of("dynamodb:GetItem")),
            Map.entry("VerifyTotpFunction", Set.of("dynamodb:UpdateItem")),
            Map.entry("DisableMfaFunction", Set.of("dynamodb:UpdateItem")),
            Map.entry("ListSessionsFunction", Set.of("dynamodb:GetItem", "dynamodb:Query")),
            Map.entry("SignOutEverywhereFunction", Set.of("dynamodb:DeleteItem", "dynamodb:Query", "dynamodb:UpdateItem")),
            // Passwordless account center (issue 18)
            Map.entry("RevokeSessionFunction", Set.of("dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query",
                    "dynamodb:UpdateItem")),
            Map.entry("ListActivityFunction", Set.of("dynamodb:Query")),
            Map.entry("AdminGetActivityFunction", Set.of("dynamodb:GetItem", "dynamodb:Query")),
            Map.entry("ChangeEmailFunction", union(ATTEMPTS, SIGN_IN, Set.of("dynamodb:GetItem", "dynamodb:PutItem", "cognito-idp:AdminGetUser",
                    "ses:SendEmail"))),
            Map.entry("VerifyEmailChangeFunction", union(ATTEMPTS, Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem",
                    "cognito-idp:AdminUpdateUserAttributes"))),
            // Passkeys: the caller's own token for the credentials (no IAM); sign-in through USER_AUTH (issue 18)
            Map.entry("StartPasskeyRegistrationFunction", Set.of("dynamodb:GetItem")),
            // ... and the names their owners give them (PASSKEY#<sub>), reconciled with Cognito's list by the listing
            Map.entry("RegisterPasskeyFunction", Set.of("dynamodb:PutItem")),
            Map.entry("ListPasskeysFunction", Set.of("dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query")),
            Map.entry("DeletePasskeyFunction", Set.of("dynamodb:DeleteItem", "dynamodb:PutItem")),
            Map.entry("EmailCodeLoginFunction", union(SIGN_IN, Set.of("cognito-idp:AdminGetUser", "ses:SendEmail"))),
            Map.entry("EmailCodeVerifyFunction", union(PROVISIONING, ATTEMPTS, SECRET, Set.of("cognito-idp:AdminRespondToAuthChallenge",
                    "dynamodb:Query"))),
            Map.entry("PasskeyOptionsFunction", union(SIGN_IN, Set.of("cognito-idp:AdminGetUser"))),
            Map.entry("PasskeySignInFunction", union(PROVISIONING, SECRET, Set.of("cognito-idp:AdminRespondToAuthChallenge",
                    "dynamodb:Query"))),
            Map.entry("AdminListUsersFunction", Set.of("dynamodb:BatchGetItem", "dynamodb:Query")),
            Map.entry("AdminCreateUserFunction", union(GROUP_MIRROR, PROVISIONING, Set.of("cognito-idp:AdminCreateUser", "cognito-idp:AdminGetUser",
                    "cognito-idp:AdminDeleteUser", "dynamodb:DeleteItem", "dynamodb:Query"))),
            Map.entry("AdminGetUserFunction", Set.of("dynamodb:GetItem")),
            Map.entry("AdminUpdateUserFunction", Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")),
            Map.entry("AdminDeleteUserFunction", union(PROVISIONING, Set.of("cognito-idp:AdminDeleteUser", "dynamodb:DeleteItem", "dynamodb:Query"))),
            Map.entry("AdminSetRolesFunction", union(GROUP_MIRROR, PROVISIONING, Set.of("dynamodb:DeleteItem", "dynamodb:Query"))),
            Map.entry("AdminDisableUserFunction", Set.of("cognito-idp:AdminDisableUser", "cognito-idp:AdminUserGlobalSignOut",
                    "dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem")),
            Map.entry("AdminEnableUserFunction", Set.of("cognito-idp:AdminEnableUser", "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query",
                    "dynamodb:UpdateItem")),
            Map.entry("AdminResetPasswordFunction", Set.of("cognito-idp:AdminResetUserPassword", "cognito-idp:AdminUserGlobalSignOut", "dynamodb:DeleteItem",
                    "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem")),
            Map.entry("AdminSignOutUserFunction", Set.of("cognito-idp:AdminUserGlobalSignOut", "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem")),
            Map.entry("AdminGetAuditFunction", Set.of("dynamodb:GetItem", "dynamodb:Query")),
            // organizations and invitations (issue 19)
            Map.entry("CreateOrgFunction", Set.of("dynamodb:PutItem")),
            Map.entry("ListMyOrgsFunction", Set.of("dynamodb:BatchGetItem", "dynamodb:Query")),
            Map.entry("GetOrgFunction", Set.of("dynamodb:BatchGetItem")),
            Map.entry("UpdateOrgFunction", Set.of("dynamodb:BatchGetItem", "dynamodb:PutItem", "dynamodb:UpdateItem")),
            Map.entry("DeleteOrgFunction", Set.of("dynamodb:BatchGetItem", "dynamodb:BatchWriteItem", "dynamodb:ConditionCheckItem",
                    "dynamodb:DeleteItem", "dynamodb:PutItem", "dynamodb:Query")),
            Map.entry("ListOrgMembersFunction", Set.of("dynamodb:BatchGetItem", "dynamodb:Query")),
            // ... and the revocation of a demoted or removed member's pending invitations (item 35)
            Map.entry("SetOrgMemberRoleFunction", Set.of("dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
                    "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem")),
            Map.entry("RemoveOrgMemberFunction", Set.of("dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
                    "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem")),
            // ... the pending invitations (the cap) and the profiles at the address (no invitation to a member)
            Map.entry("CreateOrgInvitationFunction", Set.of("dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem", "dynamodb:DeleteItem",
                    "dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem", "ses:SendEmail")),
            Map.entry("ListOrgInvitationsFunction", Set.of("dynamodb:BatchGetItem", "dynamodb:Query")),
            Map.entry("RevokeOrgInvitationFunction", Set.of("dynamodb:BatchGetItem", "dynamodb:DeleteItem", "dynamodb:GetItem",
                    "dynamodb:PutItem", "dynamodb:UpdateItem")),
            Map.entry("AcceptInvitationFunction", Set.of("dynamodb:ConditionCheckItem", "dynamodb:GetItem", "dynamodb:PutItem",
                    "dynamodb:UpdateItem")),
            // Lifecycle events and webhooks (issue 20): the stream publisher, the delivery queue's consumer, the routes.
            Map.entry("PublishEventsFunction", Set.of("events:PutEvents", "dynamodb:DescribeStream", "dynamodb:GetRecords",
                    "dynamodb:GetShardIterator", "dynamodb:ListStreams", "sqs:SendMessage")),
            Map.entry("DeliverWebhooksFunction", Set.of("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:Query", "dynamodb:UpdateItem",
                    "kms:Decrypt", "sqs:ChangeMessageVisibility", "sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage",
                    "sqs:SendMessage")),
            Map.entry("CreateWebhookFunction", Set.of("dynamodb:PutItem", "dynamodb:Query", "kms:Encrypt")),
            Map.entry("ListWebhooksFunction", Set.of("dynamodb:Query")),
            Map.entry("DeleteWebhookFunction", Set.of("dynamodb:DeleteItem", "dynamodb:PutItem")),
            Map.entry("ListWebhookDeliveriesFunction", Set.of("dynamodb:GetItem", "dynamodb:Query")),
            Map.entry("RetryWebhookDeliveryFunction", Set.of("dynamodb:GetItem", "dynamodb:PutItem", "sqs:SendMessage"))));

    /**
     * Issue 20: the webhook routes that write (register, delete, replay) append their audit entry, and may put nothing
     * else with it: the audit statement is {@code PutItem} on {@code AUDIT#WEBHOOK#*} alone; the delete and replay
     * functions put no other item.
     */
    @Test
    void webhookWriters_auditOnlyUnderTheirOwnPartition() {
        for (String id : List.of("CreateWebhookFunction", "DeleteWebhookFunction", "RetryWebhookDeliveryFunction")) {
            List<List<String>> auditKeys = statements(id).stream()
                    .filter(s -> Y.list(Y.get(s, "Condition", "ForAllValues:StringLike", "dynamodb:LeadingKeys")).stream().map(Y::str)
                            .anyMatch(k -> k.startsWith("AUDIT#")))
                    .map(s -> {
                        assertThat(Y.list(s.get("Action")).stream().map(Y::str).toList()).as(id).containsExactly("dynamodb:PutItem");
                        return Y.list(Y.get(s, "Condition", "ForAllValues:StringLike", "dynamodb:LeadingKeys")).stream().map(Y::str).toList();
                    }).toList();
            assertThat(auditKeys).as(id).containsExactly(List.of("AUDIT#WEBHOOK#*"));
        }
        for (String id : List.of("DeleteWebhookFunction", "RetryWebhookDeliveryFunction")) {
            assertThat(statements(id).stream().filter(s -> Y.list(s.get("Action")).stream().map(Y::str).anyMatch("dynamodb:PutItem"::equals))
                    .flatMap(s -> Y.list(Y.get(s, "Condition", "ForAllValues:StringLike", "dynamodb:LeadingKeys")).stream().map(Y::str)))
                    .as(id + " puts only audit entries").containsExactly("AUDIT#WEBHOOK#*");
        }
    }

    /**
     * Security activity (issue 18): the functions that record an event where no sign-in completes put one item
     * ({@code ACTIVITY#<sub>}); login and its MFA step look up the account of a failed sign-in on the listing index.
     * (The functions that complete a sign-in hold {@code PutItem} already.)
     */
    private static Map<String, Set<String>> withActivity(Map<String, Set<String>> actions) {
        Map<String, Set<String>> out = new LinkedHashMap<>(actions);
        for (String id : List.of("ResetPasswordFunction", "VerifyTotpFunction", "DisableMfaFunction", "SignOutEverywhereFunction")) {
            out.put(id, union(out.get(id), Set.of("dynamodb:PutItem")));
        }
        for (String id : List.of("LoginFunction", "LoginMfaFunction")) {
            out.put(id, union(out.get(id), Set.of("dynamodb:Query")));
        }
        return Map.copyOf(out);
    }

    /**
     * The Cognito admin actions the public routes that act on a proof of the mailbox (a confirmation or reset code,
     * docs/SECURITY.md items 26 and 27) hold: looking the account up, setting the password
     * given with the code, and ending every session. Never creating, deleting or promoting anyone.
     */
    static final Map<String, Set<String>> MAILBOX_PROOF = Map.of(
            "ConfirmSignUpFunction", Set.of("cognito-idp:AdminGetUser", "cognito-idp:AdminSetUserPassword", "cognito-idp:AdminUserGlobalSignOut"),
            "ResetPasswordFunction", Set.of("cognito-idp:AdminGetUser", "cognito-idp:AdminUserGlobalSignOut"),
            // not a mailbox proof: a refresh Cognito refused asks whether the user still exists (item 31, a read)
            "RefreshFunction", Set.of("cognito-idp:AdminGetUser"),
            // not a mailbox proof: the passkey sign-in's options look the account's username (its sub) up (issue 18)
            "PasskeyOptionsFunction", Set.of("cognito-idp:AdminGetUser"),
            "EmailCodeLoginFunction", Set.of("cognito-idp:AdminGetUser"));

    /**
     * The functions whose table statements are limited to partition keys (docs/DATA-MODEL.md), only where every key
     * they touch is certain: a wrong prefix would fail in AWS alone.
     */
    static final Map<String, Set<String>> LEADING_KEYS = Map.ofEntries(
            Map.entry("AuthorizerFunction", Set.of("USER#*")),
            Map.entry("PreTokenGenerationFunction", Set.of("USER#*", "AUDIT#*", "ACTIVITY#*")),
            Map.entry("LogoutFunction", Set.of("SESSION#*", "USER#*", "ACTIVITY#*")),
            Map.entry("RefreshFunction", Set.of("SESSION#*", "USER#*", "AUDIT#*")),
            Map.entry("OAuthLoginFunction", Set.of("OAUTH#*")),
            Map.entry("AdminGetAuditFunction", Set.of("USER#*", "AUDIT#*")),
            Map.entry("CreateOrgFunction", Set.of("ORG#*", "USER#*", "AUDIT#*")),
            Map.entry("GetOrgFunction", Set.of("ORG#*")),
            Map.entry("DeleteOrgFunction", Set.of("ORG#*", "USER#*", "INVITATION#*", "AUDIT#*")),
            Map.entry("CreateOrgInvitationFunction", Set.of("ORG#*", "INVITATION#*", "AUDIT#*")),
            Map.entry("AcceptInvitationFunction", Set.of("INVITATION#*", "ORG#*", "USER#*", "AUDIT#*")),
            Map.entry("DeliverWebhooksFunction", Set.of("WEBHOOKS", "WEBHOOK#*")),
            Map.entry("CreateWebhookFunction", Set.of("WEBHOOKS", "AUDIT#WEBHOOK#*")),
            Map.entry("ListWebhooksFunction", Set.of("WEBHOOKS")),
            Map.entry("DeleteWebhookFunction", Set.of("WEBHOOKS", "AUDIT#WEBHOOK#*")),
            Map.entry("ListWebhookDeliveriesFunction", Set.of("WEBHOOKS", "WEBHOOK#*")),
            Map.entry("RetryWebhookDeliveryFunction", Set.of("WEBHOOKS", "WEBHOOK#*", "AUDIT#WEBHOOK#*")),
            Map.entry("ListActivityFunction", Set.of("ACTIVITY#*")),
            Map.entry("StartPasskeyRegistrationFunction", Set.of("USER#*")),
            Map.entry("ListPasskeysFunction", Set.of("USER#*", "PASSKEY#*", "ACTIVITY#*")),
            Map.entry("RegisterPasskeyFunction", Set.of("ACTIVITY#*", "PASSKEY#*")),
            Map.entry("DeletePasskeyFunction", Set.of("ACTIVITY#*", "PASSKEY#*")),
            Map.entry("AdminGetActivityFunction", Set.of("ACTIVITY#*", "USER#*")));

    private static CfnTemplate template;

    @BeforeAll
    static void load() {
        template = CfnTemplate.load();
    }

    /** Every statement granting the function something: its SAM Policies and IAM policies attached to its role. */
    private static List<Map<String, Object>> statements(String functionId) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object policy : Y.list(Y.get(template.functions().get(functionId), "Properties", "Policies"))) {
            Y.list(Y.get(policy, "Statement")).forEach(s -> out.add(Y.map(s)));
            for (String managed : SecurityRules.templateManagedPolicies(template, policy)) {
                Y.list(Y.get(template.resources().get(managed), "Properties", "PolicyDocument", "Statement")).forEach(s -> out.add(Y.map(s)));
            }
        }
        template.resourcesOfType("AWS::IAM::Policy").values().forEach(p -> {
            if (Y.list(Y.get(p, "Properties", "Roles")).stream().anyMatch(r -> (functionId + "Role").equals(Y.ref(r)))) {
                Y.list(Y.get(p, "Properties", "PolicyDocument", "Statement")).forEach(s -> out.add(Y.map(s)));
            }
        });
        return out;
    }

    @Test
    void everyFunction_holdsExactlyTheActionsListedForIt() {
        Map<String, Set<String>> actual = new LinkedHashMap<>();
        template.functions().keySet().forEach(id -> {
            Set<String> actions = new TreeSet<>();
            statements(id).forEach(s -> Y.list(s.get("Action")).forEach(a -> actions.add(Y.str(a))));
            actual.put(id, actions);
        });
        assertThat(actual.keySet()).containsExactlyInAnyOrderElementsOf(ACTIONS.keySet());
        actual.forEach((id, actions) -> assertThat(actions).as(id).containsExactlyInAnyOrderElementsOf(ACTIONS.get(id)));
    }

    /**
     * The API's own e-mail: one managed policy, present only when the stack has an SES sender, allowing
     * {@code ses:SendEmail} on that identity alone. A function that sends adds it to its Policies (and
     * {@code ses:SendEmail} to its row in {@link #ACTIONS}, which the test above then demands).
     */
    @Test
    void sendingMail_isOneManagedPolicyOnTheSesIdentityOnly() {
        Map<String, Object> policy = template.resources().get("SendMailPolicy");
        assertThat(policy).isNotNull();
        assertThat(policy.get("Type")).isEqualTo("AWS::IAM::ManagedPolicy");
        assertThat(policy.get("Condition")).isEqualTo("ApiSendsMail");
        List<Object> statements = Y.list(Y.get(policy, "Properties", "PolicyDocument", "Statement"));
        assertThat(statements).hasSize(1);
        Map<String, Object> statement = Y.map(statements.get(0));
        assertThat(statement.get("Effect")).isEqualTo("Allow");
        assertThat(Y.list(statement.get("Action"))).containsExactly("ses:SendEmail");
        assertThat(Y.list(statement.get("Resource")).stream().map(Y::ref).toList()).containsExactly("SesSourceArn");
        assertThat(ACTIONS.entrySet().stream().filter(e -> e.getValue().contains("ses:SendEmail")).map(Map.Entry::getKey).toList())
                .as("the invitation and e-mail change mails, a TOTP account's sign-in code")
                .containsExactlyInAnyOrder("CreateOrgInvitationFunction", "ChangeEmailFunction", "EmailCodeLoginFunction");
    }

    @Test
    void publicFunctions_holdNoCognitoAdminActionButTheServerSideSignIn_andTheMailboxProofs_noGroupAction() {
        for (CfnTemplate.Route route : template.routes()) {
            if (route.isPublic()) {
                // no group action either: a public function cannot put anyone in a group (the admin group included);
                // a profile healed at sign-in gets its group at the next role change
                assertThat(ACTIONS.get(route.functionId())).as(route.functionId())
                        .allMatch(a -> a.startsWith("dynamodb:") || CHALLENGES.contains(a) || a.equals("ses:SendEmail")
                                || MAILBOX_PROOF.getOrDefault(route.functionId(), Set.of()).contains(a));
            }
        }
        assertThat(ACTIONS.entrySet().stream().filter(e -> e.getValue().contains("cognito-idp:AdminAddUserToGroup")).map(Map.Entry::getKey).toList())
                .as("who can put a user in a Cognito group").containsExactlyInAnyOrder("PostConfirmationFunction", "AdminCreateUserFunction",
                        "AdminSetRolesFunction");
        assertThat(ACTIONS.get("LoginFunction")).doesNotContain("cognito-idp:AdminCreateUser", "cognito-idp:AdminDeleteUser");
    }

    /** docs/SECURITY.md item 31: the app client cannot be used without the API (a secret, server-side flows only). */
    @Test
    void c31_theAppClient_isConfidential_withServerSideSignInOnly() {
        Map<String, Object> client = Y.map(template.resources().get("UserPoolClient").get("Properties"));
        assertThat(client.get("GenerateSecret")).isEqualTo(true);
        assertThat(Y.list(client.get("ExplicitAuthFlows")).stream().map(Y::str).toList())
                // USER_AUTH (passkeys, issue 18) serves AdminInitiateAuth too and needs SECRET_HASH: no way around the API
                .containsExactlyInAnyOrder("ALLOW_ADMIN_USER_PASSWORD_AUTH", "ALLOW_USER_AUTH", "ALLOW_REFRESH_TOKEN_AUTH");
        template.functions().forEach((id, function) -> assertThat(String.valueOf(Y.get(function, "Properties", "Environment")))
                .as(id + " environment").doesNotContainIgnoringCase("secret"));
    }

    @Test
    void listedFunctions_reachOnlyTheirPartitionKeys() {
        LEADING_KEYS.forEach((id, prefixes) -> {
            List<Map<String, Object>> tableStatements = statements(id).stream()
                    .filter(s -> Y.list(s.get("Resource")).stream().anyMatch(r -> "UsersTable".equals(Y.getAtt(r, "Arn")))).toList();
            assertThat(tableStatements).as(id).isNotEmpty();
            Set<String> reached = new TreeSet<>();
            for (Map<String, Object> s : tableStatements) {
                // every statement is limited, to some of the function's prefixes (e.g. reads of profiles, writes of audit entries)
                Object keys = Y.get(s, "Condition", "ForAllValues:StringLike", "dynamodb:LeadingKeys");
                List<String> limited = Y.list(keys).stream().map(Y::str).toList();
                assertThat(limited).as(id + " LeadingKeys").isNotEmpty().isSubsetOf(prefixes);
                reached.addAll(limited);
            }
            assertThat(reached).as(id + " LeadingKeys of all its statements").containsExactlyInAnyOrderElementsOf(prefixes);
        });
    }

    /**
     * The functions that record security activity without completing a sign-in (issue 18) may put items only in the
     * activity partitions: their {@code PutItem} statements are limited to {@code ACTIVITY#*}.
     */
    @Test
    void activityWriters_putOnlyActivityItems() {
        for (String id : List.of("RevokeSessionFunction", "ResetPasswordFunction", "VerifyTotpFunction", "DisableMfaFunction",
                "SignOutEverywhereFunction")) {
            List<Map<String, Object>> puts = statements(id).stream()
                    .filter(s -> Y.list(s.get("Action")).stream().map(Y::str).anyMatch("dynamodb:PutItem"::equals)).toList();
            assertThat(puts).as(id).hasSize(1);
            Object keys = Y.get(puts.get(0), "Condition", "ForAllValues:StringLike", "dynamodb:LeadingKeys");
            assertThat(Y.list(keys).stream().map(Y::str).toList()).as(id).containsExactly("ACTIVITY#*");
            assertThat(Y.list(puts.get(0).get("Action")).stream().map(Y::str).toList()).as(id).containsExactly("dynamodb:PutItem");
        }
    }

    /**
     * The passkey functions write activity items and their passkeys' names only: every write statement they hold is
     * limited to {@code ACTIVITY#*} or {@code PASSKEY#*} (never a profile, whose roles a write could change).
     */
    @Test
    void passkeyFunctions_writeOnlyActivityAndPasskeyNames() {
        for (String id : List.of("RegisterPasskeyFunction", "DeletePasskeyFunction", "ListPasskeysFunction")) {
            List<Map<String, Object>> writes = statements(id).stream()
                    .filter(s -> Y.list(s.get("Action")).stream().map(Y::str).anyMatch(a -> a.equals("dynamodb:PutItem") || a.equals("dynamodb:DeleteItem")))
                    .toList();
            assertThat(writes).as(id).isNotEmpty();
            for (Map<String, Object> write : writes) {
                Object keys = Y.get(write, "Condition", "ForAllValues:StringLike", "dynamodb:LeadingKeys");
                assertThat(Y.list(keys).stream().map(Y::str).toList()).as(id).hasSize(1).isSubsetOf("ACTIVITY#*", "PASSKEY#*");
            }
        }
    }

    /** Namespace/metric pairs the alarms must watch (DEPLOY.md lists them). */
    @Test
    void alarms_coverTheApiTheAuthorizerTheTriggersLambdaDynamoDbAndWaf_andNotifyTheOptionalTopic() {
        Set<String> watched = new TreeSet<>();
        Map<String, Map<String, Object>> alarms = template.resourcesOfType("AWS::CloudWatch::Alarm");
        alarms.forEach((id, alarm) -> {
            Map<String, Object> p = Y.map(alarm.get("Properties"));
            if (p.get("MetricName") != null) {
                watched.add(p.get("Namespace") + " " + p.get("MetricName") + dimension(p.get("Dimensions")));
            }
            for (Object m : Y.list(p.get("Metrics"))) {
                Object metric = Y.get(m, "MetricStat", "Metric");
                if (metric != null) {
                    watched.add(Y.get(metric, "Namespace") + " " + Y.get(metric, "MetricName") + dimension(Y.get(metric, "Dimensions")));
                }
            }
            for (String actions : List.of("AlarmActions", "OKActions")) {
                List<Object> ifArgs = Y.list(Y.get(p.get(actions), "Fn::If"));
                assertThat(ifArgs).as(id + " " + actions).hasSize(3);
                assertThat(Y.list(ifArgs.get(1)).stream().map(Y::ref).toList()).as(id + " " + actions).containsExactly("AlarmTopicArn");
            }
        });
        assertThat(watched).contains(
                "AWS/ApiGateway 5XXError Stage", "AWS/ApiGateway Latency Stage",
                "AWS/Lambda Errors AuthorizerFunction", "AWS/Lambda Errors PostConfirmationFunction",
                "AWS/Lambda Errors PreTokenGenerationFunction", "AWS/Lambda Duration PostConfirmationFunction",
                "AWS/Lambda Duration PreTokenGenerationFunction", "AWS/Lambda Throttles",
                "AWS/DynamoDB ReadThrottleEvents UsersTable", "AWS/DynamoDB WriteThrottleEvents UsersTable",
                "AWS/DynamoDB ReadThrottleEvents UsersTable ByEmail", "AWS/DynamoDB WriteThrottleEvents UsersTable ByEmail",
                "AWS/DynamoDB ReadThrottleEvents UsersTable SessionsByUser", "AWS/DynamoDB WriteThrottleEvents UsersTable SessionsByUser",
                "AWS/WAFV2 BlockedRequests");
        alarms.forEach((id, alarm) -> {
            if ("Duration".equals(Y.get(alarm, "Properties", "MetricName"))) {
                assertThat(Double.parseDouble(Y.str(Y.get(alarm, "Properties", "Threshold")))).as(id + " below Cognito's 5 s").isLessThan(5000);
            }
        });
        Map<String, Map<String, Object>> dashboards = template.resourcesOfType("AWS::CloudWatch::Dashboard");
        assertThat(dashboards).hasSize(1);
        String body = Y.str(Y.list(Y.get(dashboards.values().iterator().next(), "Properties", "DashboardBody", "Fn::Sub")).get(0));
        for (String metric : List.of("5XXError", "Latency", "\"Errors\"", "Duration", "Throttles", "ReadThrottleEvents", "WriteThrottleEvents",
                "GlobalSecondaryIndexName", "BlockedRequests", "${AuthorizerFunction}", "${PostConfirmationFunction}", "${PreTokenGenerationFunction}")) {
            assertThat(body).as("dashboard shows " + metric).contains(metric);
        }
    }

    /**
     * Issue 20: an event that leaves the pipeline is never dropped silently. Every EventBridge target has a dead-letter
     * queue, encrypted like the others, that only its own rule may send to; and every queue that holds failures (a
     * rule's dead-letter queue, a queue's redrive target, a stream's on-failure destination) is watched by an alarm.
     */
    @Test
    void eventPipeline_everyRuleTargetHasADeadLetterQueue_onlyItsRuleSendsTo_andEveryFailureQueueIsAlarmed() {
        Set<String> failureQueues = new TreeSet<>();
        Map<String, Map<String, Object>> policies = template.resourcesOfType("AWS::SQS::QueuePolicy");
        template.resourcesOfType("AWS::Events::Rule").forEach((rule, r) -> {
            for (Object target : Y.list(Y.get(r, "Properties", "Targets"))) {
                String dlq = Y.getAtt(Y.get(target, "DeadLetterConfig", "Arn"), "Arn");
                assertThat(dlq).as(rule + " target " + Y.get(target, "Id") + " has a dead-letter queue").isNotNull();
                failureQueues.add(dlq);
                boolean allowed = policies.values().stream().anyMatch(policy -> {
                    Object props = policy.get("Properties");
                    boolean forQueue = Y.list(Y.get(props, "Queues")).stream().map(Y::ref).anyMatch(dlq::equals);
                    return forQueue && Y.list(Y.get(props, "PolicyDocument", "Statement")).stream().allMatch(st ->
                            "events.amazonaws.com".equals(Y.str(Y.get(st, "Principal", "Service")))
                                    && "sqs:SendMessage".equals(Y.str(Y.get(st, "Action")))
                                    && rule.equals(Y.getAtt(Y.get(st, "Condition", "ArnEquals", "aws:SourceArn"), "Arn")));
                });
                assertThat(allowed).as(dlq + ": a queue policy lets only " + rule + " (events.amazonaws.com) send to it").isTrue();
            }
        });
        template.resourcesOfType("AWS::SQS::Queue").forEach((id, q) -> {
            assertThat(Y.str(Y.get(q, "Properties", "SqsManagedSseEnabled"))).as(id + " encrypted at rest").isEqualTo("true");
            String redrive = Y.getAtt(Y.get(q, "Properties", "RedrivePolicy", "deadLetterTargetArn"), "Arn");
            if (redrive != null) {
                failureQueues.add(redrive);
            }
        });
        template.functions().forEach((id, fn) -> Y.map(Y.get(fn, "Properties", "Events")).values().forEach(event -> {
            String onFailure = Y.getAtt(Y.get(event, "Properties", "DestinationConfig", "OnFailure", "Destination"), "Arn");
            if (onFailure != null) {
                failureQueues.add(onFailure);
            }
        }));
        assertThat(failureQueues).contains("PublisherFailureQueue", "DeliveryDeadLetterQueue", "DeliveryRuleDeadLetterQueue");
        Set<String> watched = new TreeSet<>();
        template.resourcesOfType("AWS::CloudWatch::Alarm").values().forEach(alarm -> {
            for (Object m : Y.list(Y.get(alarm, "Properties", "Metrics"))) {
                Object metric = Y.get(m, "MetricStat", "Metric");
                if (metric != null && "AWS/SQS".equals(Y.get(metric, "Namespace"))
                        && "ApproximateNumberOfMessagesVisible".equals(Y.get(metric, "MetricName"))) {
                    watched.add(dimension(Y.get(metric, "Dimensions")).trim());
                }
            }
        });
        assertThat(watched).as("failure queues with an alarm").containsAll(failureQueues);
    }

    /** " <ref or literal of the function/table/stage dimensions>", for the checks above. */
    private static String dimension(Object dimensions) {
        StringBuilder out = new StringBuilder();
        for (Object d : Y.list(dimensions)) {
            String name = Y.str(Y.get(d, "Name"));
            Object value = Y.get(d, "Value");
            if (name.equals("FunctionName") || name.equals("TableName")) {
                out.append(' ').append(Y.ref(value));
            } else if (name.equals("Stage")) {
                out.append(" Stage");
            } else if (name.equals("GlobalSecondaryIndexName")) {
                out.append(' ').append(value);
            } else if (name.equals("QueueName")) {
                out.append(' ').append(Y.getAtt(value, "QueueName"));
            }
        }
        return out.toString();
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new java.util.TreeSet<>();
        for (Set<String> set : sets) {
            all.addAll(set);
        }
        return Set.copyOf(all);
    }
}

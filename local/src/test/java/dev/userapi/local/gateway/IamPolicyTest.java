package dev.userapi.local.gateway;

import static dev.userapi.local.gateway.IamPolicy.Decision.ALLOW;
import static dev.userapi.local.gateway.IamPolicy.Decision.DENY;
import static dev.userapi.local.gateway.IamPolicy.Decision.EXPLICIT_DENY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IamPolicyTest {
    private static final String ARN = "arn:aws:execute-api:us-east-1:123456789012:api/dev/GET/users/abc";

    private static JsonNode policy(String statements) throws Exception {
        return new ObjectMapper().readTree("{\"Version\":\"2012-10-17\",\"Statement\":" + statements + "}");
    }

    private static String allow(String resource) {
        return "{\"Effect\":\"Allow\",\"Action\":\"execute-api:Invoke\",\"Resource\":\"" + resource + "\"}";
    }

    @ParameterizedTest
    @CsvSource({
            "arn:aws:execute-api:us-east-1:123456789012:api/dev/GET/users/abc, ALLOW",
            "arn:aws:execute-api:us-east-1:123456789012:api/dev/GET/users/*, ALLOW",
            "arn:aws:execute-api:us-east-1:123456789012:api/dev/*, ALLOW",
            "arn:aws:execute-api:us-east-1:123456789012:api/dev/*/users/ab?, ALLOW",
            "arn:aws:execute-api:us-east-1:123456789012:api/dev/POST/users/*, DENY",
            "arn:aws:execute-api:us-east-1:123456789012:api/dev/GET/users, DENY",
            "arn:aws:execute-api:us-east-1:123456789012:api/dev/GET/users/ab, DENY",
            "*, ALLOW"})
    void allowStatement_matchesTheMethodArnWithWildcards(String resource, IamPolicy.Decision expected) throws Exception {
        assertThat(IamPolicy.evaluate(policy("[" + allow(resource) + "]"), ARN)).isEqualTo(expected);
    }

    @Test
    void denyWins_overAnyAllow() throws Exception {
        String deny = "{\"Effect\":\"Deny\",\"Action\":[\"execute-api:*\"],\"Resource\":[\"arn:aws:execute-api:*:*:*/*/GET/users/*\"]}";

        assertThat(IamPolicy.evaluate(policy("[" + allow("*") + "," + deny + "]"), ARN)).isEqualTo(EXPLICIT_DENY);
    }

    @Test
    void aStatementForAnotherAction_doesNotApply() throws Exception {
        String other = "{\"Effect\":\"Allow\",\"Action\":\"execute-api:ManageConnections\",\"Resource\":\"*\"}";

        assertThat(IamPolicy.evaluate(policy("[" + other + "]"), ARN)).isEqualTo(DENY);
    }

    @Test
    void aSingleStatementObject_isAccepted() throws Exception {
        assertThat(IamPolicy.evaluate(policy(allow("*")), ARN)).isEqualTo(ALLOW);
    }

    @Test
    void aPolicyWithoutStatementsOrWithABadEffect_isRejected() throws Exception {
        assertThatThrownBy(() -> IamPolicy.evaluate(new ObjectMapper().readTree("{\"Version\":\"2012-10-17\"}"), ARN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> IamPolicy.evaluate(policy("[{\"Effect\":\"Maybe\",\"Action\":\"*\",\"Resource\":\"*\"}]"), ARN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}

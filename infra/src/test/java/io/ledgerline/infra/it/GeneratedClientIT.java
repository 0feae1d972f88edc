package io.ledgerline.infra.it;

import static io.ledgerline.infra.it.Ledgerline.config;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import io.ledgerline.client.command.api.AccountsApi;
import io.ledgerline.client.command.model.AccountOpenedResponse;
import io.ledgerline.client.command.model.BalanceResponse;
import io.ledgerline.client.command.model.MovementRequest;
import io.ledgerline.client.command.model.OpenAccountRequest;
import io.ledgerline.client.command.model.Problem;
import io.ledgerline.client.query.api.AuditApi;
import io.ledgerline.client.query.model.AccountDocument;
import io.ledgerline.client.query.model.AuditedEvent;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The clients generated from the committed OpenAPI descriptions (infra's build generates them from
 * {@code docs/openapi}) work against the running services: the flow of the README's "Try it", with
 * no hand-written HTTP. A description that names an operation, a header, a body or a problem
 * differently from the service breaks this test.
 */
@SystemTest
class GeneratedClientIT {

  private final String customer = "generated-client-" + UUID.randomUUID();

  private final AccountsApi commands =
      new AccountsApi(commandClient(Ledgerline.token("customer", customer), config().commandUrl()));

  private final io.ledgerline.client.query.api.AccountsApi queries =
      new io.ledgerline.client.query.api.AccountsApi(
          queryClient(Ledgerline.token("customer", customer)));

  private final AuditApi audit =
      new AuditApi(queryClient(Ledgerline.token("auditor", "generated-client-auditor")));

  @Test
  void theReadmeFlowRunsThroughTheGeneratedClients() throws Exception {
    // Open an account: 201, ETag "0" and Location.
    var opened = commands.openAccountWithHttpInfo(new OpenAccountRequest().currency("EUR"), null);
    assertThat(opened.getStatusCode()).isEqualTo(201);
    assertThat(opened.getHeaders().get("ETag")).containsExactly("\"0\"");
    AccountOpenedResponse account = opened.getData();
    assertThat(account.getOwnerId()).isEqualTo(customer);
    assertThat(opened.getHeaders().get("Location"))
        .containsExactly("/api/v1/accounts/" + account.getAccountId());
    String accountId = account.getAccountId();

    // Deposit with an Idempotency-Key, then send it again: the same answer, and one deposit.
    String key = "deposit-" + UUID.randomUUID();
    MovementRequest salary = new MovementRequest().amount(1250L).reference("salary");
    BalanceResponse deposited = commands.depositFunds(accountId, salary, null, key);
    assertThat(deposited.getBalance()).isEqualTo(1250L);
    assertThat(deposited.getVersion()).isEqualTo(1L);
    assertThat(commands.depositFunds(accountId, salary, null, key)).isEqualTo(deposited);

    // Withdraw only if the account is still at version 1.
    BalanceResponse withdrawn =
        commands.withdrawFunds(accountId, new MovementRequest().amount(250L), "\"1\"", null);
    assertThat(withdrawn.getBalance()).isEqualTo(1000L);
    assertThat(withdrawn.getVersion()).isEqualTo(2L);

    // The same condition again is stale now: a 412 problem, and nothing is withdrawn.
    var stale =
        catchThrowableOfType(
            io.ledgerline.client.command.ApiException.class,
            () ->
                commands.withdrawFunds(
                    accountId, new MovementRequest().amount(250L), "\"1\"", null));
    assertThat(stale.getCode()).isEqualTo(412);
    Problem problem =
        io.ledgerline.client.command.ApiClient.createDefaultObjectMapper()
            .readValue(stale.getResponseBody(), Problem.class);
    assertThat(problem.getType()).isEqualTo(URI.create("urn:ledgerline:problem:version-conflict"));
    assertThat(problem.getStatus()).isEqualTo(412);
    assertThat(problem.getCurrentVersion()).isEqualTo(2L);

    // Read it back from the query side once the projection has reached version 2.
    AtomicReference<AccountDocument> read = new AtomicReference<>();
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> {
              try {
                read.set(queries.getAccount(accountId, 2L));
                return true;
              } catch (io.ledgerline.client.query.ApiException e) {
                // 503 projection-behind after the bounded wait: the read model is slower today.
                if (e.getCode() != 503) {
                  throw e;
                }
                return false;
              }
            });
    assertThat(read.get().getVersion()).isEqualTo(2L);
    assertThat(read.get().getBalance()).isEqualTo(1000L);
    assertThat(read.get().getStatus()).isEqualTo(AccountDocument.StatusEnum.OPEN);

    // The event store holds one deposit: the retry had no second effect.
    List<String> types =
        audit.listAggregateEvents(accountId, null, null).getItems().stream()
            .map(AuditedEvent::getType)
            .toList();
    assertThat(types).containsExactly("AccountOpened", "FundsDeposited", "FundsWithdrawn");
  }

  private static io.ledgerline.client.command.ApiClient commandClient(String token, String url) {
    io.ledgerline.client.command.ApiClient client = new io.ledgerline.client.command.ApiClient();
    client.updateBaseUri(url);
    client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
    client.setReadTimeout(Duration.ofSeconds(30));
    return client;
  }

  private static io.ledgerline.client.query.ApiClient queryClient(String token) {
    io.ledgerline.client.query.ApiClient client = new io.ledgerline.client.query.ApiClient();
    client.updateBaseUri(config().queryUrl());
    client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
    client.setReadTimeout(Duration.ofSeconds(30));
    return client;
  }
}

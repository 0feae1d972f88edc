package io.ledgerline.command.account;

import static io.ledgerline.command.personaldata.SealedTexts.sealed;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.ledgerline.command.account.AccountCommands.CloseAccount;
import io.ledgerline.command.account.AccountCommands.DepositFunds;
import io.ledgerline.command.account.AccountCommands.FreezeAccount;
import io.ledgerline.command.account.AccountCommands.OpenAccount;
import io.ledgerline.command.account.AccountCommands.UnfreezeAccount;
import io.ledgerline.command.account.AccountCommands.WithdrawFunds;
import io.ledgerline.command.account.TransferStepCommands.CreditForTransfer;
import io.ledgerline.command.account.TransferStepCommands.DebitForTransfer;
import io.ledgerline.command.account.TransferStepCommands.ReverseTransferDebit;
import io.ledgerline.events.AccountEvent;
import io.ledgerline.events.fold.AccountState;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;
import org.axonframework.messaging.unitofwork.DefaultUnitOfWork;
import org.axonframework.modelling.command.Aggregate;

/**
 * The shared fold ({@link AccountState}) against the {@link Account} aggregate's own event-sourcing
 * handlers. Random commands go through the real aggregate (Axon in memory, no I/O), so every
 * history is one the aggregate itself writes: refusals, redelivered transfer steps, reversals and
 * closing included. After each command, the account loaded from its events and the fold of the same
 * events agree on everything both hold; on failure the history is printed.
 */
class AccountFoldProperties {

  // Free text as the controllers hand it over: sealed.
  private static final String REF = sealed("ref");

  private static final String ID = "acc-1";
  private static final ObjectMapper JSON = new ObjectMapper();

  sealed interface Step {}

  record Deposit(long amount) implements Step {}

  record Withdraw(long amount) implements Step {}

  record Freeze() implements Step {}

  record Unfreeze() implements Step {}

  /** Brings the balance to zero, then closes: the only way an account closes. */
  record SettleAndClose() implements Step {}

  record Debit(int transfer, long amount, boolean otherCurrency) implements Step {}

  record Credit(int transfer, long amount, boolean otherCurrency) implements Step {}

  record Reverse(int transfer, long amount) implements Step {}

  @Provide
  Arbitrary<List<Step>> steps() {
    Arbitrary<Long> amount = Arbitraries.longs().between(-5, 2_000);
    Arbitrary<Integer> transfer = Arbitraries.integers().between(0, 3);
    Arbitrary<Boolean> otherCurrency = Arbitraries.of(false, false, false, true);
    return Arbitraries.frequencyOf(
            weighted(6, amount.map(Deposit::new)),
            weighted(4, amount.map(Withdraw::new)),
            weighted(2, Arbitraries.just(new Freeze())),
            weighted(2, Arbitraries.just(new Unfreeze())),
            weighted(1, Arbitraries.just(new SettleAndClose())),
            weighted(4, Combinators.combine(transfer, amount, otherCurrency).as(Debit::new)),
            weighted(4, Combinators.combine(transfer, amount, otherCurrency).as(Credit::new)),
            weighted(3, Combinators.combine(transfer, amount).as(Reverse::new)))
        .list()
        .ofMinSize(1)
        .ofMaxSize(40);
  }

  private static Tuple.Tuple2<Integer, Arbitrary<? extends Step>> weighted(
      int weight, Arbitrary<? extends Step> step) {
    return Tuple.of(weight, step);
  }

  @Property(tries = 150)
  void theAggregateAndTheSharedFoldAgreeAfterEveryCommand(
      @ForAll("steps") List<Step> steps, @ForAll boolean overdraft) {
    Configuration axon =
        DefaultConfigurer.defaultConfiguration()
            .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
            .configureAggregate(Account.class)
            .buildConfiguration();
    axon.start();
    try {
      send(axon, new OpenAccount(ID, "owner-1", "EUR", overdraft ? 500 : 0));
      check(axon);
      for (Step step : steps) {
        for (Object command : commands(step, fold(history(axon)))) {
          send(axon, command);
        }
        check(axon);
      }
    } finally {
      axon.shutdown();
    }
  }

  private static List<Object> commands(Step step, AccountState now) {
    String eur = "EUR";
    if (step instanceof Deposit d) {
      return List.of(new DepositFunds(ID, d.amount(), REF, null));
    } else if (step instanceof Withdraw w) {
      return List.of(new WithdrawFunds(ID, w.amount(), REF, null));
    } else if (step instanceof Freeze) {
      return List.of(new FreezeAccount(ID, REF, null, "operator"));
    } else if (step instanceof Unfreeze) {
      return List.of(new UnfreezeAccount(ID, REF, null));
    } else if (step instanceof SettleAndClose) {
      List<Object> commands = new ArrayList<>();
      if (now.balanceMinor() > 0) {
        commands.add(new WithdrawFunds(ID, now.balanceMinor(), REF, null));
      } else if (now.balanceMinor() < 0) {
        commands.add(new DepositFunds(ID, -now.balanceMinor(), REF, null));
      }
      commands.add(new CloseAccount(ID, REF, null));
      return commands;
    } else if (step instanceof Debit d) {
      return List.of(
          new DebitForTransfer(
              ID, "t-" + d.transfer(), d.amount(), d.otherCurrency() ? "USD" : eur, "acc-2"));
    } else if (step instanceof Credit c) {
      return List.of(
          new CreditForTransfer(
              ID, "t-" + c.transfer(), c.amount(), c.otherCurrency() ? "USD" : eur, "acc-3"));
    } else if (step instanceof Reverse r) {
      return List.of(new ReverseTransferDebit(ID, "t-" + r.transfer(), r.amount(), "refused"));
    }
    throw new IllegalArgumentException("unknown step " + step);
  }

  /** What both hold, as the aggregate's fields (the view its snapshots store) and the fold say. */
  record Observed(
      String accountId,
      String ownerId,
      String currency,
      long overdraftLimitMinor,
      long balanceMinor,
      String status,
      long version) {}

  private static void check(Configuration axon) {
    List<DomainEventMessage<?>> history = history(axon);
    AccountState folded = fold(history);
    List<Object> payloads = history.stream().map(m -> (Object) m.getPayload()).toList();
    assertThat(folded).as("the fold of %s", payloads).isNotNull();

    DefaultUnitOfWork<?> unitOfWork = DefaultUnitOfWork.startAndGet(null);
    try {
      Aggregate<Account> account = axon.repository(Account.class).load(ID);
      JsonNode fields = account.invoke(root -> JSON.valueToTree(root));
      Observed aggregate =
          new Observed(
              fields.get("accountId").asText(),
              fields.get("ownerId").asText(),
              fields.get("currency").asText(),
              fields.get("overdraftLimitMinor").asLong(),
              fields.get("balanceMinor").asLong(),
              fields.get("status").asText(),
              fields.get("version").asLong());
      Observed fold =
          new Observed(
              folded.accountId(),
              folded.ownerId(),
              folded.currency(),
              folded.overdraftLimitMinor(),
              folded.balanceMinor(),
              folded.status().name(),
              folded.version());

      assertThat(aggregate).as("the aggregate and the fold after %s", payloads).isEqualTo(fold);
      assertThat(account.version())
          .as("Axon's version after %s", payloads)
          .isEqualTo(fold.version());
    } finally {
      unitOfWork.rollback();
    }
  }

  private static List<DomainEventMessage<?>> history(Configuration axon) {
    List<DomainEventMessage<?>> history = new ArrayList<>();
    axon.eventStore().readEvents(ID).forEachRemaining(history::add);
    return history;
  }

  private static AccountState fold(List<DomainEventMessage<?>> history) {
    AccountState state = null;
    for (DomainEventMessage<?> message : history) {
      state =
          AccountState.fold(
              state, (AccountEvent) message.getPayload(), message.getSequenceNumber());
    }
    return state;
  }

  private static void send(Configuration axon, Object command) {
    try {
      axon.commandGateway().sendAndWait(command);
    } catch (AccountRuleViolation refusedByTheRules) {
      // A refused command writes nothing; the history stays one the aggregate accepts.
    }
  }
}

package io.ledgerline.command.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import io.ledgerline.command.account.AccountCommands.CloseAccount;
import io.ledgerline.command.account.AccountCommands.DepositFunds;
import io.ledgerline.command.account.AccountCommands.FreezeAccount;
import io.ledgerline.command.account.AccountCommands.OpenAccount;
import io.ledgerline.command.account.AccountCommands.UnfreezeAccount;
import io.ledgerline.command.account.AccountCommands.WithdrawFunds;
import io.ledgerline.command.account.TransferStepCommands.CreditForTransfer;
import io.ledgerline.command.account.TransferStepCommands.DebitForTransfer;
import io.ledgerline.command.transfer.TransferCommands.RequestTransfer;
import io.ledgerline.events.AccountClosed;
import io.ledgerline.events.AccountFrozen;
import io.ledgerline.events.AccountOpened;
import io.ledgerline.events.AccountUnfrozen;
import io.ledgerline.events.FundsDeposited;
import io.ledgerline.events.FundsWithdrawn;
import io.ledgerline.events.TransferCompleted;
import io.ledgerline.events.TransferCredited;
import io.ledgerline.events.TransferDebitReversed;
import io.ledgerline.events.TransferDebited;
import io.ledgerline.events.TransferFailed;
import io.ledgerline.events.TransferRequested;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.axonframework.config.Configuration;
import org.axonframework.config.DefaultConfigurer;
import org.axonframework.eventhandling.DomainEventMessage;
import org.axonframework.eventsourcing.eventstore.inmemory.InMemoryEventStorageEngine;

/**
 * Random command sequences through the real aggregates and transfer process (Axon in memory, no
 * I/O), checked against the event history and against an independent model of the rules:
 *
 * <ul>
 *   <li>every account's balance equals the fold of its events, and each event's balance-after
 *       agrees with that fold;
 *   <li>no balance ever goes below minus the overdraft limit;
 *   <li>money is conserved: balances plus money in flight equal deposits minus withdrawals, and
 *       every transfer moves its amount once or not at all, even when steps are redelivered.
 * </ul>
 */
class LedgerInvariantsProperties {

  private static final String[] CURRENCIES = {"EUR", "EUR", "USD"};

  sealed interface Op {}

  record Open(int currency, long overdraft) implements Op {}

  record Deposit(int account, long amount) implements Op {}

  record Withdraw(int account, long amount) implements Op {}

  record Freeze(int account) implements Op {}

  record Unfreeze(int account) implements Op {}

  record Close(int account) implements Op {}

  record Transfer(int from, int to, long amount) implements Op {}

  record RedeliverSteps(int transfer) implements Op {}

  @Provide
  Arbitrary<List<Op>> operations() {
    Arbitrary<Integer> account = Arbitraries.integers().between(0, 5);
    Arbitrary<Long> amount = Arbitraries.longs().between(1, 2_000);
    Arbitrary<Op> op =
        Arbitraries.frequencyOf(
            Tuple2Of(
                2,
                Combinators.combine(
                        Arbitraries.integers().between(0, 2), Arbitraries.of(0L, 0L, 500L))
                    .as(Open::new)),
            Tuple2Of(5, Combinators.combine(account, amount).as(Deposit::new)),
            Tuple2Of(4, Combinators.combine(account, amount).as(Withdraw::new)),
            Tuple2Of(1, account.map(Freeze::new)),
            Tuple2Of(1, account.map(Unfreeze::new)),
            Tuple2Of(1, account.map(Close::new)),
            Tuple2Of(6, Combinators.combine(account, account, amount).as(Transfer::new)),
            Tuple2Of(2, Arbitraries.integers().between(0, 20).map(RedeliverSteps::new)));
    return op.list().ofMinSize(5).ofMaxSize(60);
  }

  private static net.jqwik.api.Tuple.Tuple2<Integer, Arbitrary<? extends Op>> Tuple2Of(
      int weight, Arbitrary<? extends Op> arbitrary) {
    return net.jqwik.api.Tuple.of(weight, arbitrary);
  }

  @Property(tries = 150)
  void balancesFoldOverdraftsHoldAndTransfersConserveMoney(@ForAll("operations") List<Op> ops)
      throws Exception {
    Set<String> opened = new HashSet<>();
    Configuration axon =
        DefaultConfigurer.defaultConfiguration()
            .configureEmbeddedEventStore(c -> new InMemoryEventStorageEngine())
            .configureAggregate(Class.forName("io.ledgerline.command.account.Account"))
            .configureAggregate(io.ledgerline.command.transfer.Transfer.class)
            .eventProcessing(
                processing ->
                    processing
                        .usingSubscribingEventProcessors()
                        .registerEventHandler(
                            c -> new TransferProcess(c.commandGateway(), opened::contains)))
            .buildConfiguration();
    axon.start();
    try {
      Model model = new Model();
      List<String> accounts = new ArrayList<>();
      List<Transfer> transfers = new ArrayList<>();
      List<String> transferIds = new ArrayList<>();
      List<String> destinations = new ArrayList<>();
      for (Op op : ops) {
        Object command = null;
        if (op instanceof Open o) {
          String id = "acc-" + accounts.size();
          command = new OpenAccount(id, "owner", CURRENCIES[o.currency()], o.overdraft());
          accounts.add(id);
          opened.add(id);
          model.open(id, CURRENCIES[o.currency()], o.overdraft());
        } else if (op instanceof Deposit d && d.account() < accounts.size()) {
          String id = accounts.get(d.account());
          command = new DepositFunds(id, d.amount(), null, null);
          model.deposit(id, d.amount());
        } else if (op instanceof Withdraw w && w.account() < accounts.size()) {
          String id = accounts.get(w.account());
          command = new WithdrawFunds(id, w.amount(), null, null);
          model.withdraw(id, w.amount());
        } else if (op instanceof Freeze f && f.account() < accounts.size()) {
          command = new FreezeAccount(accounts.get(f.account()), null, null, "op");
          model.freeze(accounts.get(f.account()));
        } else if (op instanceof Unfreeze u && u.account() < accounts.size()) {
          command = new UnfreezeAccount(accounts.get(u.account()), null, null);
          model.unfreeze(accounts.get(u.account()));
        } else if (op instanceof Close c && c.account() < accounts.size()) {
          command = new CloseAccount(accounts.get(c.account()), null, null);
          model.close(accounts.get(c.account()));
        } else if (op instanceof Transfer t
            && t.from() < accounts.size()
            && t.from() != t.to()
            && t.to() <= accounts.size()) {
          // t.to() == accounts.size() names an account that does not exist.
          String from = accounts.get(t.from());
          String to = t.to() < accounts.size() ? accounts.get(t.to()) : "missing-account";
          String transferId = "t-" + transferIds.size();
          command =
              new RequestTransfer(transferId, from, to, t.amount(), model.currency(from), null);
          transferIds.add(transferId);
          transfers.add(t);
          destinations.add(to);
          model.transfer(from, to, t.amount());
        } else if (op instanceof RedeliverSteps r && r.transfer() < transfers.size()) {
          // A redelivered debit and credit of a past transfer must not move money again. Only
          // steps the process sent are redelivered: it sends the credit once the debit happened.
          String transferId = transferIds.get(r.transfer());
          Transfer t = transfers.get(r.transfer());
          String from = accounts.get(t.from());
          // The destination named when the transfer was requested, even if opened since.
          String to = destinations.get(r.transfer());
          send(axon, new DebitForTransfer(from, transferId, t.amount(), model.currency(from), to));
          if (debited(axon, from, transferId)) {
            send(
                axon,
                new CreditForTransfer(to, transferId, t.amount(), model.currency(from), from));
          }
        }
        if (command != null) {
          send(axon, command);
        }
        checkInvariants(axon, accounts, transferIds, model);
      }
    } finally {
      axon.shutdown();
    }
  }

  private static boolean debited(Configuration axon, String account, String transferId) {
    List<DomainEventMessage<?>> events = new ArrayList<>();
    axon.eventStore().readEvents(account).forEachRemaining(events::add);
    return events.stream()
        .anyMatch(
            m ->
                m.getPayload() instanceof TransferDebited debit
                    && debit.transferId().equals(transferId));
  }

  private static void send(Configuration axon, Object command) {
    try {
      axon.commandGateway().sendAndWait(command);
    } catch (RuntimeException refusedByTheRules) {
      // Refusals are part of the game; the invariants below decide whether they were right.
    }
  }

  private static void checkInvariants(
      Configuration axon, List<String> accounts, List<String> transferIds, Model model) {
    long deposits = 0;
    long withdrawals = 0;
    long balances = 0;
    Map<String, Long> debited = new HashMap<>();
    Map<String, Long> credited = new HashMap<>();
    Map<String, Long> reversed = new HashMap<>();
    for (String account : accounts) {
      long balance = 0;
      long overdraft = 0;
      List<DomainEventMessage<?>> events = new ArrayList<>();
      axon.eventStore().readEvents(account).forEachRemaining(events::add);
      for (DomainEventMessage<?> message : events) {
        Object event = message.getPayload();
        long balanceAfter;
        if (event instanceof AccountOpened e) {
          overdraft = e.overdraftLimitMinor();
          continue;
        } else if (event instanceof FundsDeposited e) {
          balance += e.amountMinor();
          deposits += e.amountMinor();
          balanceAfter = e.balanceAfterMinor();
        } else if (event instanceof FundsWithdrawn e) {
          balance -= e.amountMinor();
          withdrawals += e.amountMinor();
          balanceAfter = e.balanceAfterMinor();
        } else if (event instanceof TransferDebited e) {
          balance -= e.amountMinor();
          assertThat(debited.put(e.transferId(), e.amountMinor())).as("debited twice").isNull();
          balanceAfter = e.balanceAfterMinor();
        } else if (event instanceof TransferCredited e) {
          balance += e.amountMinor();
          assertThat(credited.put(e.transferId(), e.amountMinor())).as("credited twice").isNull();
          balanceAfter = e.balanceAfterMinor();
        } else if (event instanceof TransferDebitReversed e) {
          balance += e.amountMinor();
          assertThat(reversed.put(e.transferId(), e.amountMinor())).as("reversed twice").isNull();
          balanceAfter = e.balanceAfterMinor();
        } else {
          assertThat(event)
              .isInstanceOfAny(
                  AccountFrozen.class,
                  AccountUnfrozen.class,
                  AccountClosed.class,
                  io.ledgerline.events.TransferDebitRefused.class,
                  io.ledgerline.events.TransferCreditRefused.class);
          continue;
        }
        assertThat(balanceAfter).as("balance after, per the event").isEqualTo(balance);
        assertThat(balance).as("balance within the overdraft").isGreaterThanOrEqualTo(-overdraft);
      }
      assertThat(balance)
          .as("balance of " + account + " per the model")
          .isEqualTo(model.balance(account));
      balances += balance;
    }
    long inFlight = 0;
    for (String transferId : transferIds) {
      long out = debited.getOrDefault(transferId, 0L);
      long in = credited.getOrDefault(transferId, 0L) + reversed.getOrDefault(transferId, 0L);
      assertThat(in)
          .as("transfer " + transferId + " returns at most what it took")
          .isLessThanOrEqualTo(out);
      assertThat(credited.containsKey(transferId) && reversed.containsKey(transferId))
          .as("credited and reversed")
          .isFalse();
      inFlight += out - in;
      List<Object> outcome = new ArrayList<>();
      axon.eventStore().readEvents(transferId).forEachRemaining(m -> outcome.add(m.getPayload()));
      assertThat(outcome.get(0)).isInstanceOf(TransferRequested.class);
      // Subscribing processing finishes each transfer within its request.
      assertThat(outcome).hasSize(2);
      assertThat(outcome.get(1) instanceof TransferCompleted)
          .as("completed exactly when credited")
          .isEqualTo(credited.containsKey(transferId));
      assertThat(
              outcome.get(1) instanceof TransferCompleted
                  || outcome.get(1) instanceof TransferFailed)
          .isTrue();
    }
    assertThat(balances + inFlight).as("conservation of money").isEqualTo(deposits - withdrawals);
    assertThat(inFlight).as("nothing left in flight").isZero();
  }

  /** The rules of the brief, restated independently of the aggregate. */
  private static final class Model {
    private final Map<String, long[]> balances = new HashMap<>();
    private final Map<String, String> currency = new HashMap<>();
    private final Map<String, Long> overdraft = new HashMap<>();
    private final Map<String, String> status = new HashMap<>();

    void open(String id, String cur, long limit) {
      balances.put(id, new long[] {0});
      currency.put(id, cur);
      overdraft.put(id, limit);
      status.put(id, "OPEN");
    }

    String currency(String id) {
      return currency.get(id);
    }

    long balance(String id) {
      return balances.get(id)[0];
    }

    void deposit(String id, long amount) {
      if (!status.get(id).equals("CLOSED")) {
        balances.get(id)[0] += amount;
      }
    }

    void withdraw(String id, long amount) {
      if (canDebit(id, amount)) {
        balances.get(id)[0] -= amount;
      }
    }

    void freeze(String id) {
      if (status.get(id).equals("OPEN")) {
        status.put(id, "FROZEN");
      }
    }

    void unfreeze(String id) {
      if (status.get(id).equals("FROZEN")) {
        status.put(id, "OPEN");
      }
    }

    void close(String id) {
      if (balance(id) == 0) {
        status.put(id, "CLOSED");
      }
    }

    void transfer(String from, String to, long amount) {
      if (!canDebit(from, amount)) {
        return;
      }
      boolean credit =
          status.containsKey(to)
              && status.get(to).equals("OPEN")
              && currency.get(to).equals(currency.get(from));
      if (credit) {
        balances.get(from)[0] -= amount;
        balances.get(to)[0] += amount;
      }
    }

    private boolean canDebit(String id, long amount) {
      return status.get(id).equals("OPEN") && balance(id) - amount >= -overdraft.get(id);
    }
  }
}

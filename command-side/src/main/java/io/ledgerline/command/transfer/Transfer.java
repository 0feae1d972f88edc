package io.ledgerline.command.transfer;

import static org.axonframework.modelling.command.AggregateLifecycle.apply;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import io.ledgerline.command.transfer.TransferCommands.CompleteTransfer;
import io.ledgerline.command.transfer.TransferCommands.FailTransfer;
import io.ledgerline.command.transfer.TransferCommands.RequestTransfer;
import io.ledgerline.events.PersonalFields;
import io.ledgerline.events.SealedText;
import io.ledgerline.events.TransferCompleted;
import io.ledgerline.events.TransferFailed;
import io.ledgerline.events.TransferRequested;
import org.axonframework.commandhandling.CommandHandler;
import org.axonframework.eventsourcing.EventSourcingHandler;
import org.axonframework.modelling.command.AggregateIdentifier;
import org.axonframework.spring.stereotype.Aggregate;

/**
 * A transfer's outcome: requested, then completed or failed exactly once. The money itself moves in
 * the two accounts, driven by {@link TransferProcess}.
 */
@JsonAutoDetect(fieldVisibility = JsonAutoDetect.Visibility.ANY)
@Aggregate
class Transfer {

  enum Status {
    REQUESTED,
    COMPLETED,
    FAILED
  }

  @AggregateIdentifier private String transferId;
  private Status status;

  Transfer() {
    // Required by Axon to rebuild the transfer from its events.
  }

  @CommandHandler
  Transfer(RequestTransfer command) {
    SealedText.requireSealedOrNull(command.reference(), PersonalFields.REFERENCE);
    apply(
        new TransferRequested(
            command.transferId(),
            command.fromAccountId(),
            command.toAccountId(),
            command.amountMinor(),
            command.currency(),
            command.reference()));
  }

  /** A redelivered outcome changes nothing: the first one stands. */
  @CommandHandler
  void handle(CompleteTransfer command) {
    if (status == Status.REQUESTED) {
      apply(new TransferCompleted(transferId));
    }
  }

  @CommandHandler
  void handle(FailTransfer command) {
    if (status == Status.REQUESTED) {
      apply(
          new TransferFailed(
              transferId, command.reason(), TransferFailed.failureCodeFor(command.reason())));
    }
  }

  @EventSourcingHandler
  void on(TransferRequested event) {
    transferId = event.transferId();
    status = Status.REQUESTED;
  }

  @EventSourcingHandler
  void on(TransferCompleted event) {
    status = Status.COMPLETED;
  }

  @EventSourcingHandler
  void on(TransferFailed event) {
    status = Status.FAILED;
  }
}

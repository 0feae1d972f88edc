package io.ledgerline.command.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.commandhandling.GenericCommandMessage;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.junit.jupiter.api.Test;

/** The cached resolver answers as Axon's own, for records and for everything else. */
class RecordCommandTargetsTest {

  record Versioned(@TargetAggregateIdentifier String accountId, @TargetAggregateVersion Long v) {}

  record Unversioned(String other, @TargetAggregateIdentifier String accountId) {}

  record TextVersion(@TargetAggregateIdentifier String id, @TargetAggregateVersion String v) {}

  record NoTarget(String accountId) {}

  static final class NotARecord {
    @TargetAggregateIdentifier private final String id;

    NotARecord(String id) {
      this.id = id;
    }
  }

  private final RecordCommandTargets cached = new RecordCommandTargets();
  private final AnnotationCommandTargetResolver axon =
      AnnotationCommandTargetResolver.builder().build();

  @Test
  void answersAsAxonsResolver() {
    for (Object payload :
        new Object[] {
          new Versioned("a-1", 7L),
          new Versioned("a-1", null),
          new Unversioned("x", "a-2"),
          new TextVersion("a-3", "12"),
          new NotARecord("a-4")
        }) {
      CommandMessage<?> command = GenericCommandMessage.asCommandMessage(payload);
      var ours = cached.resolveTarget(command);
      var theirs = axon.resolveTarget(command);
      assertThat(ours.getIdentifier()).as("%s", payload).isEqualTo(theirs.getIdentifier());
      assertThat(ours.getVersion()).as("%s", payload).isEqualTo(theirs.getVersion());
    }
  }

  @Test
  void refusesAsAxonsResolver() {
    for (Object payload :
        new Object[] {new NoTarget("a"), new Versioned(null, 1L), new TextVersion("a", "x")}) {
      CommandMessage<?> command = GenericCommandMessage.asCommandMessage(payload);
      Throwable theirs = catchFrom(() -> axon.resolveTarget(command));
      assertThatThrownBy(() -> cached.resolveTarget(command))
          .as("%s", payload)
          .isInstanceOf(theirs.getClass())
          .hasMessage(theirs.getMessage());
    }
  }

  private static Throwable catchFrom(Runnable call) {
    try {
      call.run();
    } catch (RuntimeException e) {
      return e;
    }
    throw new AssertionError("Axon's resolver accepted it");
  }
}

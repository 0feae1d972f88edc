package io.ledgerline.command.owner;

import static io.ledgerline.command.personaldata.SealedTexts.sealed;

import io.ledgerline.command.owner.OwnerCommands.ErasePersonalData;
import io.ledgerline.command.owner.OwnerCommands.RecordOwnerProfile;
import io.ledgerline.command.personaldata.PersonalDataErasedException;
import io.ledgerline.events.OwnerPersonalDataErased;
import io.ledgerline.events.OwnerProfileRecorded;
import io.ledgerline.events.PersonalFields;
import org.axonframework.test.aggregate.AggregateTestFixture;
import org.axonframework.test.aggregate.FixtureConfiguration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class OwnerTest {

  private static final String NAME = sealed("alice", PersonalFields.NAME, "Alice Example");
  private static final String EMAIL = sealed("alice", PersonalFields.EMAIL, "alice@example.com");
  private static final OwnerProfileRecorded RECORDED =
      new OwnerProfileRecorded("alice", NAME, EMAIL);
  private static final OwnerPersonalDataErased ERASED =
      new OwnerPersonalDataErased("alice", "test-key", "dpo");

  private FixtureConfiguration<Owner> fixture;

  @BeforeEach
  void setUp() {
    fixture = new AggregateTestFixture<>(Owner.class);
  }

  @Test
  void canRecordAProfile() {
    fixture
        .givenNoPriorActivity()
        .when(new RecordOwnerProfile("alice", NAME, EMAIL))
        .expectEvents(RECORDED)
        .expectResultMessagePayload(new OwnerState("alice", false, 0));
  }

  @Test
  void canReplaceAProfile() {
    String newEmail = sealed("alice", PersonalFields.EMAIL, "alice@example.org");
    fixture
        .given(RECORDED)
        .when(new RecordOwnerProfile("alice", NAME, newEmail))
        .expectEvents(new OwnerProfileRecorded("alice", NAME, newEmail))
        .expectResultMessagePayload(new OwnerState("alice", false, 1));
  }

  @Test
  void cannotRecordAProfileInClearOrWithoutAnEmail() {
    fixture
        .givenNoPriorActivity()
        .when(new RecordOwnerProfile("alice", "Alice Example", EMAIL))
        .expectException(IllegalArgumentException.class)
        .expectNoEvents();
    fixture
        .givenNoPriorActivity()
        .when(new RecordOwnerProfile("alice", NAME, null))
        .expectException(IllegalArgumentException.class)
        .expectNoEvents();
  }

  @Test
  void canEraseAnOwner() {
    fixture
        .given(RECORDED)
        .when(new ErasePersonalData("alice", "test-key", "dpo"))
        .expectEvents(ERASED)
        .expectResultMessagePayload(new OwnerState("alice", true, 1));
  }

  @Test
  void canEraseAnOwnerWhoNeverRecordedAProfile() {
    fixture
        .givenNoPriorActivity()
        .when(new ErasePersonalData("alice", "test-key", "dpo"))
        .expectEvents(ERASED)
        .expectResultMessagePayload(new OwnerState("alice", true, 0));
  }

  @Test
  void erasingAnErasedOwnerRecordsNothingAndAnswersTheSame() {
    fixture
        .given(RECORDED, ERASED)
        .when(new ErasePersonalData("alice", "test-key", "another-admin"))
        .expectSuccessfulHandlerExecution()
        .expectNoEvents()
        .expectResultMessagePayload(new OwnerState("alice", true, 1));
  }

  @Test
  void cannotRecordAProfileAfterTheErasure() {
    fixture
        .given(RECORDED, ERASED)
        .when(new RecordOwnerProfile("alice", NAME, EMAIL))
        .expectException(PersonalDataErasedException.class)
        .expectNoEvents();
  }
}

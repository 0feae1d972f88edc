package io.ledgerline.command.owner;

import io.ledgerline.command.api.RequestMetadata;
import io.ledgerline.command.idempotency.IdempotentCommandSender;
import io.ledgerline.command.owner.OwnerCommands.ErasePersonalData;
import io.ledgerline.command.owner.OwnerCommands.RecordOwnerProfile;
import io.ledgerline.command.owner.OwnerRequests.OwnerProfileRequest;
import io.ledgerline.command.owner.OwnerRequests.OwnerProfileResponse;
import io.ledgerline.command.personaldata.PersonalDataVault;
import io.ledgerline.events.PersonalFields;
import io.ledgerline.platform.web.openapi.ApiProblems;
import io.ledgerline.platform.web.problem.InvalidRequestException;
import io.ledgerline.platform.web.problem.Problems;
import io.ledgerline.platform.web.security.Caller;
import io.ledgerline.platform.web.security.ForbiddenException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.validation.Valid;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** Owners' personal data over HTTP: {@code /api/v1/owners}. */
@Tag(
    name = "Owners",
    description =
        "An owner's personal data: the profile (name and e-mail) and its erasure. Personal data,"
            + " references and reasons included, is stored sealed under a key of its owner;"
            + " erasing the owner destroys the key, so every API shows those fields as erased from"
            + " then on, while amounts, balances and the tamper-evident history stay as they are.")
@RestController
@RequestMapping(path = "/api/v1/owners", produces = MediaType.APPLICATION_JSON_VALUE)
class OwnerController {

  private static final int MAX_OWNER_ID = 128;

  /** An owner that has recorded no profile and was never erased. */
  static final class UnknownOwner extends RuntimeException {
    UnknownOwner(String ownerId) {
      super("no profile for owner " + ownerId, null, false, false);
    }
  }

  private final IdempotentCommandSender commands;
  private final RequestMetadata metadata;
  private final PersonalDataVault vault;
  private final OwnerProfiles profiles;

  OwnerController(
      IdempotentCommandSender commands,
      RequestMetadata metadata,
      PersonalDataVault vault,
      OwnerProfiles profiles) {
    this.commands = commands;
    this.metadata = metadata;
    this.vault = vault;
    this.profiles = profiles;
  }

  @Operation(
      operationId = "recordOwnerProfile",
      summary = "Record an owner's profile",
      description =
          "Records (or replaces) the owner's name and e-mail address, sealed under the owner's key."
              + " Only the owner (the token's subject) or an admin may. An erased owner takes no"
              + " new personal data: 409 `personal-data-erased`.")
  @ApiProblems({"validation", "personal-data-erased", "idempotency-conflict", "contended"})
  @PutMapping(path = "/{ownerId}", consumes = MediaType.APPLICATION_JSON_VALUE)
  OwnerProfileResponse record(
      @PathVariable String ownerId,
      @Valid @RequestBody OwnerProfileRequest body,
      HttpServletRequest request) {
    requireOwnerOrAdmin(ownerId);
    OwnerState state =
        commands.send(
            () ->
                new RecordOwnerProfile(
                    ownerId,
                    vault.seal(ownerId, PersonalFields.NAME, body.name()),
                    vault.seal(ownerId, PersonalFields.EMAIL, body.email())),
            request,
            body,
            OwnerState.class);
    return new OwnerProfileResponse(
        ownerId, body.name(), body.email(), OwnerProfileResponse.PRESENT, state.version());
  }

  @Operation(
      operationId = "getOwnerProfile",
      summary = "Read an owner's profile",
      description =
          "The owner's name and e-mail address, straight from the owner's events; once erased,"
              + " both are null and `personalData` is `ERASED`. Only the owner (the token's"
              + " subject) or an admin may.")
  @ApiProblems({"validation", "not-found"})
  @GetMapping("/{ownerId}")
  OwnerProfileResponse read(@PathVariable String ownerId) {
    requireOwnerOrAdmin(ownerId);
    return profiles.find(ownerId).orElseThrow(() -> new UnknownOwner(ownerId));
  }

  @Operation(
      operationId = "erasePersonalData",
      summary = "Erase an owner's personal data",
      description =
          "Destroys the owner's key and records the erasure as an event (`OwnerPersonalDataErased`)"
              + " in one transaction: the owner's profile, references and reasons can never be read"
              + " again, anywhere; amounts, balances, totals and the tamper-evident history do not"
              + " change. Idempotent: erasing an erased owner records nothing and answers the same."
              + " Other instances stop reading the owner's data within"
              + " `ledgerline.personal-data.key-cache-ttl` (5 s at most).")
  @ApiProblems({"validation", "idempotency-conflict", "contended"})
  @DeleteMapping("/{ownerId}/personal-data")
  OwnerProfileResponse erase(@PathVariable String ownerId, HttpServletRequest request) {
    requireOwnerIdSize(ownerId);
    String erasedBy = metadata.subject(request);
    OwnerState state =
        commands.send(
            () -> new ErasePersonalData(ownerId, vault.keyIdOf(ownerId), erasedBy),
            request,
            null,
            OwnerState.class);
    // This instance stops at once; the others when their copy of the key expires.
    vault.forget(ownerId);
    return OwnerProfileResponse.erased(ownerId, state.version());
  }

  private static void requireOwnerOrAdmin(String ownerId) {
    requireOwnerIdSize(ownerId);
    Caller caller = Caller.current();
    if (!caller.has(Caller.ADMIN) && !caller.subject().equals(ownerId)) {
      throw new ForbiddenException("only the owner or an admin may see or change this profile");
    }
  }

  private static void requireOwnerIdSize(String ownerId) {
    if (ownerId.isEmpty() || ownerId.length() > MAX_OWNER_ID) {
      throw new InvalidRequestException(
          "an owner id is 1 to " + MAX_OWNER_ID + " characters, as in accounts");
    }
  }

  @ExceptionHandler(UnknownOwner.class)
  ProblemDetail unknown(UnknownOwner e) {
    return Problems.of(HttpStatus.NOT_FOUND, "not-found", "Not found", e.getMessage());
  }
}

package io.ledgerline.events;

/**
 * An owner's profile was recorded (or replaced): their name and e-mail address, both sealed under
 * the owner's key ({@link SealedText}), so that erasing the key erases them.
 *
 * @param ownerId the owner
 * @param name the owner's name, sealed
 * @param email the owner's e-mail address, sealed
 */
public record OwnerProfileRecorded(String ownerId, String name, String email)
    implements OwnerEvent {}

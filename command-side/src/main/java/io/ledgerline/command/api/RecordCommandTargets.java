package io.ledgerline.command.api;

import java.lang.annotation.Annotation;
import java.lang.reflect.Field;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import org.axonframework.commandhandling.CommandMessage;
import org.axonframework.common.annotation.AnnotationUtils;
import org.axonframework.modelling.command.AnnotationCommandTargetResolver;
import org.axonframework.modelling.command.CommandTargetResolver;
import org.axonframework.modelling.command.TargetAggregateIdentifier;
import org.axonframework.modelling.command.TargetAggregateVersion;
import org.axonframework.modelling.command.VersionedAggregateIdentifier;
import org.springframework.stereotype.Component;

/**
 * Finds the aggregate a command targets as Axon's {@link AnnotationCommandTargetResolver} does (the
 * record component marked {@link TargetAggregateIdentifier}, and {@link TargetAggregateVersion}),
 * but looks the components up once per command type: Axon's resolver searches the type's fields,
 * methods and their annotations on every command, a few per cent of the command side's CPU under
 * load. Commands that are not records, or whose target is not a record component, go to Axon's.
 * Axon's aggregates use this bean as their resolver (it is the configuration's component), and so
 * does group commit, to place each command with its account.
 */
@Component
public class RecordCommandTargets implements CommandTargetResolver {

  private static final CommandTargetResolver AXON =
      AnnotationCommandTargetResolver.builder().build();

  /** How to read a record's target: its identifier component, and its version one (or null). */
  private record Components(Method identifier, Method version) {}

  private static final ClassValue<Components> COMPONENTS =
      new ClassValue<>() {
        @Override
        protected Components computeValue(Class<?> type) {
          if (!type.isRecord()) {
            return null;
          }
          Method identifier = marked(type, TargetAggregateIdentifier.class);
          return identifier == null
              ? null
              : new Components(identifier, marked(type, TargetAggregateVersion.class));
        }
      };

  @Override
  public VersionedAggregateIdentifier resolveTarget(CommandMessage<?> command) {
    Components components = COMPONENTS.get(command.getPayloadType());
    if (components == null) {
      return AXON.resolveTarget(command);
    }
    Object payload = command.getPayload();
    Object identifier = read(components.identifier(), payload);
    if (identifier == null) {
      // Axon's answer to a command without a target, word for word.
      return AXON.resolveTarget(command);
    }
    Object version = components.version() == null ? null : read(components.version(), payload);
    return new VersionedAggregateIdentifier(identifier, asLong(version));
  }

  private static Method marked(Class<?> type, Class<? extends Annotation> annotation) {
    for (RecordComponent component : type.getRecordComponents()) {
      Method accessor = component.getAccessor();
      if (AnnotationUtils.isAnnotationPresent(accessor, annotation)
          || fieldMarked(type, component, annotation)) {
        accessor.setAccessible(true);
        return accessor;
      }
    }
    return null;
  }

  private static boolean fieldMarked(
      Class<?> type, RecordComponent component, Class<? extends Annotation> annotation) {
    try {
      Field field = type.getDeclaredField(component.getName());
      return AnnotationUtils.isAnnotationPresent(field, annotation);
    } catch (NoSuchFieldException impossible) {
      return false;
    }
  }

  private static Object read(Method accessor, Object payload) {
    try {
      return accessor.invoke(payload);
    } catch (InvocationTargetException e) {
      throw new IllegalArgumentException(
          "An exception occurred while extracting aggregate information form a command", e);
    } catch (IllegalAccessException e) {
      throw new IllegalArgumentException(
          "The current security context does not allow extraction of aggregate information from"
              + " the given command.",
          e);
    }
  }

  // As Axon's: a number as is, anything else parsed.
  private static Long asLong(Object version) {
    if (version == null) {
      return null;
    }
    if (version instanceof Number number) {
      return number.longValue();
    }
    try {
      return Long.parseLong(version.toString());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("The value provided for the version is not a number.", e);
    }
  }
}

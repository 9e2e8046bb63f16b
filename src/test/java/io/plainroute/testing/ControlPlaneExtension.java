package io.plainroute.testing;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.platform.commons.support.AnnotationSupport;
import org.junit.platform.commons.support.HierarchyTraversalMode;
import org.junit.platform.commons.support.ReflectionSupport;

/** Runs the {@link ControlPlane} of a class annotated with {@link WithControlPlane}. */
public final class ControlPlaneExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  public static final String CRDS_PROPERTY = "plainroute.crds";
  private static final ExtensionContext.Namespace NAMESPACE = ExtensionContext.Namespace.create(ControlPlaneExtension.class);
  private static final String KEY = "controlPlane";

  @Override
  public void beforeAll(ExtensionContext context) throws IllegalAccessException {
    ControlPlane plane = planeOf(context);
    for (Field field : controlPlaneFields(context.getRequiredTestClass())) {
      field.set(null, plane);
    }
  }

  @Override
  public void afterAll(ExtensionContext context) throws IllegalAccessException {
    // remove() only sees this class's own store: a @Nested class leaves its outer class's plane alone.
    ControlPlane plane = context.getStore(NAMESPACE).remove(KEY, ControlPlane.class);
    if (plane != null) {
      for (Field field : controlPlaneFields(context.getRequiredTestClass())) {
        field.set(null, null);
      }
      plane.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ControlPlane.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return planeOf(context);
  }

  /*
   * Started on first demand rather than strictly in beforeAll: with a per-class test instance
   * lifecycle the constructor asks for it before any beforeAll callback. Store lookups fall
   * back to parent contexts, so test methods and @Nested classes get the class's plane.
   */
  private static ControlPlane planeOf(ExtensionContext context) {
    return context.getStore(NAMESPACE).getOrComputeIfAbsent(KEY, key -> start(context), ControlPlane.class);
  }

  private static ControlPlane start(ExtensionContext context) {
    Class<?> testClass = context.getRequiredTestClass();
    WithControlPlane config = AnnotationSupport.findAnnotation(testClass, WithControlPlane.class)
        .orElseThrow(() -> new ParameterResolutionException(testClass + " is not annotated with @WithControlPlane"));
    ControlPlane plane = ControlPlane.builder()
        .name(testClass.getSimpleName())
        .controllers(config.controllers())
        .start();
    try {
      String crds = System.getProperty(CRDS_PROPERTY, "");
      if (config.crds() && !crds.isBlank()) {
        plane.installCrds(Path.of(crds));
      }
      return plane;
    } catch (RuntimeException | Error e) {
      plane.close();
      throw e;
    }
  }

  private static List<Field> controlPlaneFields(Class<?> testClass) {
    List<Field> fields = ReflectionSupport.findFields(testClass,
        field -> field.getType() == ControlPlane.class
            && Modifier.isStatic(field.getModifiers())
            && !Modifier.isFinal(field.getModifiers()),
        HierarchyTraversalMode.TOP_DOWN);
    fields.forEach(field -> field.setAccessible(true));
    return fields;
  }
}

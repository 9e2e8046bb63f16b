package io.plainroute.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Gives the test class one real {@link ControlPlane}, started before its first test and closed
 * after its last (also when tests fail). It is injected into parameters and constructor arguments
 * of type ControlPlane and into static fields of that type.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(ControlPlaneExtension.class)
public @interface WithControlPlane {

  /** kube-controller-manager --controllers; empty: no kube-controller-manager. */
  String[] controllers() default {"garbagecollector"};

  /** Install the CRDs from the directory in system property {@code plainroute.crds}, if it has any. */
  boolean crds() default true;
}

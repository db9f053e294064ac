package dev.conveyor.api;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import jakarta.ws.rs.NameBinding;

/**
 * Marks an event-stream endpoint: {@link StreamAdmissionFilter} does its asynchronous checks (rate, the job's
 * existence) before it answers, since a stream's 200 and headers go out as soon as its method returns.
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@interface StreamAdmission {
}

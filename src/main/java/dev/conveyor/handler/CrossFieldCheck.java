package dev.conveyor.handler;

import java.util.List;

/**
 * For payloads whose rules span fields (a range, a limit on a parsed value): Bean Validation checks each field, then
 * this names the field at fault, which an {@code @AssertTrue} method cannot.
 */
public interface CrossFieldCheck {

    /** Problems with the payload as a whole, each naming the field to fix; empty when there is none. */
    List<PayloadReader.Violation> crossFieldViolations();
}

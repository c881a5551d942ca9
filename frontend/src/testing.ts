// Helpers for the unit tests.

// A test's document or item holds only what the test is about (a design with no schema, a component with
// no tier): the code under test reads nothing else. This is the one place the tests step outside the types.
export function loose<T>(value: object): T {
  return value as T;
}

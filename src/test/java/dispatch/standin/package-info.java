/** Stand-ins for external systems in tests and the dev run; {@link dispatch.standin.FakeTracker} is Yandex Tracker. */
package dispatch.standin;

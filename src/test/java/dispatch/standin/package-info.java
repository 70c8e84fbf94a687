/** Stand-ins for external systems in tests and the dev run; {@link dispatch.standin.tracker.FakeTracker} is Yandex Tracker. */
package dispatch.standin;

/** Template auto-replies to operators and contractors when a dispatcher sets a notify status. */
@org.jspecify.annotations.NullMarked
package dispatch.autoreply;

"""Every hint the checks and the grader give, written once.

The judges of :mod:`.part_a`, :mod:`.part_b` and :mod:`.part_c` pick from
these; the instant check in the notebook and the grade report show the same
words.
"""

from __future__ import annotations

__all__ = ["COMMON_ERRORS", "MATH_EXP", "blame"]

# -- logistic regression (Part A) ----------------------------------------------------------
SIGMOID_FLIPPED = ("your values equal sigmoid(-z): the exponent's sign is flipped; "
                   "σ(z) = 1 / (1 + e^(−z)).")
SIGMOID_OVERFLOW = ("e^z / (1 + e^z) is inf / inf = NaN once e^z overflows (z above about 709). "
                    "1 / (1 + e^(−z)) stays finite for every z: for large positive z, e^(−z) is "
                    "0 and the result is 1; for large negative z, e^(−z) is inf and the result "
                    "is 0 (NumPy may warn about the overflow, but the value is right).")
MATH_EXP = ("math.exp takes one number; use np.exp, which works elementwise on a whole array.")
FLIPPED_DZ = "flipped sign: dz = a − y (prediction minus label), not y − a."
FLIPPED_DZ_M = "flipped sign: dZ = A − Y (prediction minus label)."
MISSING_B_Z = "z is missing b: z = wᵀx + b."
MISSING_B_ZM = "Z is missing b: Z = wᵀX + b."
DZ_IS_A = "dz is a − y; your value is a itself (the − y is missing)."
DW_TIMES_W = "dw = x · dz: multiply by the input x, not by the weight w."
NO_M = "forgot to divide by m: the {what} is an average, (1/m) Σ over the {m} examples."
HALF_M = "1/(2m) instead of 1/m: the factor is 1/m (there is no square to differentiate)."
HALF_M_COST = "1/(2m) instead of 1/m in the cost."
COST_SIGN = ("the cost's minus sign is missing: "
             "J = −(1/m) Σ [y log a + (1 − y) log(1 − a)].")
GRADS_TRIPLE = ("{name} should return grads, cost with grads = {{'dw': dw, 'db': db}}; it "
                "returned 3 values.")

# -- the salary regression (Part B) ---------------------------------------------------------
UPHILL = "the update goes uphill: subtract the gradient, w := w − η·∂J/∂w."
NO_FACTOR_2 = "the gradient lacks its factor 2: ∂J/∂w = (2/n) Σ (ŷ − y)·x."
NO_N = "forgot to divide by n: ∂J/∂w = (2/n) Σ (ŷ − y)·x is an average."
MISSING_B_YHAT = "the prediction is missing b: ŷ = w·x + b."
RETURNED_GRADIENTS = "you returned the gradients; return the updated parameters (w, b)."
NOT_SIMULTANEOUS = ("b was updated with the new w: compute both gradients at the old (w, b) "
                    "first, then update both (a simultaneous update).")
HALF_STEPS = ("every step is half as long as it should be: is the factor 2 of the MSE "
              "gradient missing?")
B_NEVER_UPDATED = ("b never moves from 0: update b too, b := b − η·∂J/∂b, at every step (on "
                   "centred data ∂J/∂b happens to be 0, so only data that are not centred show "
                   "the difference).")
COSTS_COUNT = ("With {epochs} there are {costs}: J before the first update (epoch 0) "
               "and after each update.")
RATE_SEED_HINT = ("that is n / Σx², the limit when only w is trained (the seed's hint formula); "
                  "with b trained too, the limit is 2 / λ_max of the Hessian "
                  "H = (2/n)[[Σx², Σx], [Σx, n]].")
RATE_ONE_OVER = ("that is 1 / λ_max: the limit is 2 / λ_max (the error along the steepest "
                 "direction is multiplied by 1 − η·λ each step, and |1 − η·λ| < 1 needs "
                 "η < 2/λ).")
RATE_LAMBDA_MIN = "that is 2 / λ_min: the steepest direction (the largest eigenvalue) sets the limit."
RATE_HESSIAN_NO_2 = ("twice the limit: is the Hessian missing its factor 2? "
                     "H = (2/n)[[Σx², Σx], [Σx, n]], the second derivatives of the MSE.")
RATE_HESSIAN_NO_N = ("that is the limit for H = 2[[Σx², Σx], [Σx, n]]: the Hessian of the MSE "
                     "has the factor 2/n, because J is a mean over the n points.")
STOP_ORDER = ("check the rules in order (diverged, gradient norm, tolerance, max epochs): when "
              "several fire, the first wins.")
STOP_DIVERGED_FIRST = ("check divergence first: a NaN or infinite cost (or gradient) makes every "
                       "other test meaningless.")
STOP_SIGNED = ("use the size of the change, |J(t) − J(t−1)| < tol: a cost that went up has not "
               "converged.")
STOP_STRICT = "the rules are strict: grad_norm < grad_tol."
STOP_NONFINITE_GRAD = ("a gradient norm that is NaN or infinite means the run diverged, even when "
                       "the cost is still finite: test np.isfinite(grad_norm) too.")
STOP_NONE = ("tol or grad_tol can be None, meaning that rule is off: test `tol is not None` "
             "before comparing.")
STOP_EPOCH_0 = ("at epoch 0 there is only one cost: the tolerance rule needs two, so it cannot "
                "fire yet.")

# -- errors any exercise can raise ------------------------------------------------------------
_SCALAR = ("float() and math functions take one number, and a product such as w.T @ x is a "
           "(1, 1) array: take its element with .item(), or stay with arrays (np.exp works on "
           "arrays).")
_MATMUL = ("a matrix product got shapes that do not fit: check the shape of each operand (w is "
           "(n_x, 1), X is (n_x, m), so w.T @ X is (1, m)).")

#: ``(exception type, fragment of its message, hint)`` for errors of any exercise.
COMMON_ERRORS = (
    ("TypeError", "only 0-dimensional arrays can be converted", _SCALAR),
    ("TypeError", "only length-1 arrays can be converted", _SCALAR),
    ("NameError", "", "a name is not defined when the function runs: did the cell that defines "
                      "it fail, or was it never run?"),
    ("ValueError", "matmul", _MATMUL),
    ("ValueError", "not aligned", _MATMUL),
)


def blame(name: str, helper: str, where: str = "check") -> str:
    """The message when ``name`` fails and calls the learner's ``helper``, which fails too."""
    if where == "check":
        return (f"{name} calls your {helper}, which fails its own check "
                f"(checks.{helper}({helper})): fix {helper} first, then check {name} again.")
    return (f"{name} calls your {helper}, which did not get full marks either: fix {helper} "
            "first.")

# -- practice tasks of notebook 01 ----------------------------------------------------------------
SQ_CROSS_ENTROPY_DZ = ("that is the cross-entropy's dz = a − y. With L = ½(a − y)², ∂L/∂a = a − y, "
                       "and the sigmoid node still multiplies it by da/dz = a(1 − a).")
SQ_FLIPPED = "flipped sign: ∂L/∂a = a − y (prediction minus label), not y − a."
DW1_TIMES_W = "dw1 = x1 · dz: multiply by the input x1, not by the weight w1."
CD_ONE_SIDED = ("that is the one-sided difference (f(v + h) − f(v)) / h; the central one steps "
                "both ways: (f(v + h) − f(v − h)) / (2h).")
CD_NO_HALF = "the step from v − h to v + h is 2h long: divide by 2h, not by h."
CD_FLIPPED = "the sign is flipped: f(v + h) − f(v − h), the value on the right first."

# -- practice tasks of notebook 02 ----------------------------------------------------------------
SUM_NOT_MEAN = "that is the sum over the {m} examples: divide the accumulator by m after the loop."
ACC_RESET = ("that is the last example's value alone: the accumulator is reset inside the loop. "
             "Start it at 0 once, before the loop, and only add inside it.")
SKIPS_FIRST = ("example 0 is missing: range(1, m) starts at the second example (section 4). "
               "Loop over range(m).")

# -- practice task of notebook 04 -----------------------------------------------------------------
MSE_FLIPPED = "flipped sign: the residual is ŷ − y (prediction minus target), not y − ŷ."

# -- practice task of notebook 05 -----------------------------------------------------------------
HINT_NOT_SQUARED = "the x values must be squared: the limit is n / Σ xᵢ², from the curvature (2/n) Σ xᵢ²."
HINT_ONE_OVER = ("that is 1 / curvature: the factor 1 − η·c stays above −1 up to η = 2/c, "
                 "and c = (2/n) Σ xᵢ², so the limit is n / Σ xᵢ².")
HINT_MEAN_SQUARE = "divide n by the sum of squares, not by their mean: n / Σ xᵢ²."

# -- practice task of notebook 06 -----------------------------------------------------------------
STOP_ONE_EARLY = ("one epoch too early: the rule fires at the first t with 2ρ^t < g, so round "
                  "t up (or count until the norm is below g).")
STOP_RHO_SQUARED = ("that uses ρ² per epoch, the factor of the cost; the gradient norm 2|w − 1| "
                    "shrinks by ρ per epoch.")

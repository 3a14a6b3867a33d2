"""Every student-facing sentence, in English and Chinese, in one place.

Library code raises or returns message *keys* with parameters; ``text()`` turns
them into the student's language. Messages are plain text: templates format.
"""
from __future__ import annotations

LANGS = ("en", "zh")

CATALOG: dict[str, tuple[str, str]] = {
    # reading the answer
    "empty": ("The answer is empty.", "答案为空。"),
    "too_long": ("The answer is {n} characters long; at most {limit} are read.",
                 "答案长度为 {n} 个字符，最多只读取 {limit} 个。"),
    "too_deep": ("The answer is nested too deeply (more than {limit} levels).",
                 "答案嵌套层数过多（超过 {limit} 层）。"),
    "bad_char": ("The character {char!r} ({uname}) at position {pos} is not part of the formula language.",
                 "第 {pos} 个位置的字符 {char!r}（{uname}）不属于公式语言。"),
    "homoglyph": ("The character {char!r} at position {pos} looks like the Latin letter {latin!r} but is {uname}; retype it.",
                  "第 {pos} 个位置的字符 {char!r} 看起来像拉丁字母 {latin!r}，实际上是 {uname}，请重新输入。"),
    "unexpected_token": ("Unexpected {token!r} at position {pos}.",
                         "第 {pos} 个位置出现了意外的 {token!r}。"),
    "unexpected_quote": ("Unexpected quote {token} at position {pos}: a formula has no strings.",
                         "第 {pos} 个位置出现了意外的引号 {token}：公式中没有字符串。"),
    "unexpected_end": ("The answer ends too early: something is missing at the end.",
                       "答案提前结束：末尾缺少内容。"),
    "unbalanced_open": ("The bracket {char!r} at position {pos} is never closed.",
                        "第 {pos} 个位置的括号 {char!r} 没有闭合。"),
    "unbalanced_close": ("The bracket {char!r} at position {pos} closes nothing.",
                         "第 {pos} 个位置的括号 {char!r} 没有对应的左括号。"),
    "mismatched": ("The bracket {char!r} at position {pos} does not match {open!r} at position {open_pos}.",
                   "第 {pos} 个位置的括号 {char!r} 与第 {open_pos} 个位置的 {open!r} 不匹配。"),
    "number_too_large": ("The number {text} is too large to be read.", "数 {text} 太大，无法读取。"),
    "adjacent_numbers": ("Two numbers stand side by side ({a} {b}); write * between them if you mean a product.",
                         "两个数并列书写（{a} {b}）；如果表示乘积，请在它们之间写 *。"),
    "unknown_symbol": ("Unknown symbol {name!r}. This question's symbols are: {known}.",
                       "未知符号 {name!r}。本题可用的符号为：{known}。"),
    "unknown_symbol_hint": ("Unknown symbol {name!r} (did you mean {hint}?). This question's symbols are: {known}.",
                            "未知符号 {name!r}（是否想写 {hint}？）。本题可用的符号为：{known}。"),
    "unknown_function": ("Unknown function {name!r}. Functions you may use: {known}.",
                         "未知函数 {name!r}。可以使用的函数：{known}。"),
    "not_allowed_function": ("{name!r} cannot be used in an answer: write the expression itself.",
                             "答案中不能使用 {name!r}：请直接写出表达式。"),
    "forbidden_function": ("{name!r} is not allowed in this part: {why}",
                           "本小题不允许使用 {name!r}：{why}"),
    "arity": ("{name} takes {expected} argument(s), but {got} were given.",
              "{name} 需要 {expected} 个参数，但给出了 {got} 个。"),
    "function_needs_argument": ("The function {name} needs an argument, e.g. {name}(x).",
                                "函数 {name} 需要参数，例如 {name}(x)。"),
    "symbol_called": ("{name} is a variable, not a function; write {name}*(...) for a product.",
                      "{name} 是变量而不是函数；乘法请写成 {name}*(...)。"),
    "number_expected": ("A number was expected (an expression such as 1/4 is fine), but the answer uses {names}.",
                        "这里需要一个数（可以写成 1/4 这样的表达式），但答案中使用了 {names}。"),
    "not_a_number": ("The answer does not evaluate to a finite number.", "答案的值不是有限的数。"),
    # shapes
    "shape_matmul": ("Shape error: {a} is {sa} and {b} is {sb}, so {a}·{b} is not defined (the inner sizes {ia} and {ib} differ).",
                     "形状错误：{a} 是 {sa}，{b} 是 {sb}，因此 {a}·{b} 无定义（内侧维度 {ia} 与 {ib} 不同）。"),
    "juxt_hint": ("Two factors written side by side are a matrix product; use * or ⊙ for an element-wise product.",
                  "并列书写的两个因子表示矩阵乘法；逐元素乘法请用 * 或 ⊙。"),
    "shape_elementwise": ("Shape error: {a} is {sa} and {b} is {sb}; '{op}' needs equal shapes (or a scalar).",
                          "形状错误：{a} 是 {sa}，{b} 是 {sb}；'{op}' 需要形状相同（或其中之一为标量）。"),
    "shape_stack": ("Shape error: stacking [{items}] needs the same number of columns, but the shapes are {shapes}.",
                    "形状错误：堆叠 [{items}] 需要列数相同，但形状分别为 {shapes}。"),
    "shape_scalar_needed": ("Shape error: {what} needs a scalar, but {a} is {sa}.",
                            "形状错误：{what} 需要标量，但 {a} 是 {sa}。"),
    "shape_vector_needed": ("Shape error: {what} needs a column vector, but {a} is {sa}.",
                            "形状错误：{what} 需要列向量，但 {a} 是 {sa}。"),
    "shape_result": ("Your expression is {sa}, but the answer must be {sb}.",
                     "你的表达式形状为 {sa}，但答案应为 {sb}。"),
    "shape_transposed": ("It looks like the transpose of the right answer: check which factor needs a transpose.",
                         "看起来是正确答案的转置：检查哪个因子需要转置。"),
    # comparing
    "correct": ("Correct.", "正确。"),
    "correct_exact": ("Correct (the same expression as the reference, up to the order of terms).",
                      "正确（与参考答案是同一个表达式，仅项的顺序不同）。"),
    "correct_numeric": ("Correct (agrees at {n} random points).", "正确（在 {n} 个随机点处一致）。"),
    "incorrect": ("Not equal to the expected answer.", "与期望答案不相等。"),
    "counterexample": ("For example at {point}: expected {expected}, your answer gives {got}.",
                       "例如在 {point} 处：期望值为 {expected}，你的答案为 {got}。"),
    "counterexample_entry": ("For example at one random point, entry {entry}: expected {expected}, your answer gives {got}.",
                             "例如在某个随机点处，元素 {entry}：期望值为 {expected}，你的答案为 {got}。"),
    "student_undefined": ("Your answer is undefined (NaN or infinite) where the expected answer is finite, e.g. at {point}.",
                          "在期望答案有定义的地方你的答案无定义（NaN 或无穷），例如在 {point} 处。"),
    "sign_error": ("Your answer has the wrong sign: it is the negative of the expected answer.",
                   "符号错误：你的答案恰好是期望答案的相反数。"),
    "constant_factor": ("Your answer is off by a constant factor of about {factor}.",
                        "你的答案与期望答案相差一个常数因子，约为 {factor}。"),
    "missing_required": ("The value is right, but the answer must be written in terms of {names}.",
                         "值是对的，但答案必须用 {names} 表示。"),
    "outer_form": ("The value is right, but the answer must be {name} of one expression, {name}(…).",
                   "值是对的，但答案必须写成 {name} 作用于一个表达式的形式：{name}(…)。"),
    "used_forbidden": ("The answer uses {names}, which this part does not allow.",
                       "答案使用了本小题不允许的 {names}。"),
    "missing_required_dead": ("The value is right, but {names} appears only in parts that do not change the value "
                              "(they cancel, are multiplied by zero or divide out); the answer must really be "
                              "written in terms of {names}.",
                              "值是对的，但 {names} 只出现在不影响值的部分中（相互抵消、乘以零或被约去）；"
                              "答案必须真正用 {names} 表示。"),
    "outer_argument": ("The value is right and the answer has the form {name}(…), but the expression inside "
                       "uses {names} to undo it; {name} must be applied to an expression without {names}.",
                       "值是对的，答案也写成了 {name}(…) 的形式，但括号内的表达式用 {names} 抵消了它；"
                       "{name} 必须作用于不含 {names} 的表达式。"),
    "timeout": ("Checking this answer took too long and was stopped; simplify the expression.",
                "检查此答案耗时过长，已被中止；请化简表达式。"),
    "internal_error": ("The grader could not check this answer ({detail}). This is a fault of the grader, not of "
                       "your answer: the results of this run mark it as a grader error, not as a mistake of yours.",
                       "评分器无法检查此答案（{detail}）。这是评分器的问题，不是你的答案的问题："
                       "本次运行的结果将其标记为评分器错误，而不是你的错误。"),
    "missing_answer": ("No answer was given.", "未作答。"),
    "wrong_answer_type": ("Expected {expected}, but the answer is {got}.", "此处应为 {expected}，但答案是 {got}。"),
    # numeric
    "tol_sigfigs": ("{n} significant figures", "{n} 位有效数字"),
    "tol_abs_rel": ("±{abs} + {rel}×|value|", "±{abs} + {rel}×|值|"),
    "numeric_close": ("Correct (within the tolerance of {tol}).", "正确（在 {tol} 的容差范围内）。"),
    "numeric_off": ("Your value {got} is not within the tolerance ({tol}) of the expected value.",
                    "你的数值 {got} 不在期望值的容差范围（{tol}）内。"),
    # matrix
    "matrix_parse": ("A matrix was expected, as rows of numbers: [[1, 2], [3, 4]] or [1 2; 3 4].",
                     "此处需要一个矩阵，按行书写：[[1, 2], [3, 4]] 或 [1 2; 3 4]。"),
    "matrix_ragged": ("Row {row} has {got} entries but row 1 has {expected}.", "第 {row} 行有 {got} 个元素，但第 1 行有 {expected} 个。"),
    "matrix_shape": ("The matrix is {got}, but a {expected} matrix was expected.", "矩阵形状为 {got}，但应为 {expected}。"),
    "matrix_entries": ("{n} of {total} entries are wrong: {entries}.", "{total} 个元素中有 {n} 个错误：{entries}。"),
    "matrix_entry_bad": ("Entry ({row}, {col}) is not a number: {detail}", "元素 ({row}, {col}) 不是数：{detail}"),
    # choice
    "choice_unknown": ("{got!r} is not an option; the options are {options}.", "{got!r} 不是选项；可选项为 {options}。"),
    "choice_single": ("Exactly one option must be chosen, but {n} were given.", "只能选择一个选项，但给出了 {n} 个。"),
    "choice_wrong": ("That option is not right.", "该选项不正确。"),
    "choice_partial": ("{right} of {total} right options chosen, {wrong} wrong option(s) chosen.",
                       "选对了 {total} 个正确选项中的 {right} 个，选错了 {wrong} 个。"),
    "choice_option_feedback": ("Option {opt}: {text}", "选项 {opt}：{text}"),
    # derivation
    "derivation_empty": ("A derivation needs at least two lines.", "推导至少需要两行。"),
    "derivation_line_invalid": ("Line {line} cannot be read: {detail}", "第 {line} 行无法读取：{detail}"),
    "derivation_start": ("Line 1 must be the starting expression {start}.", "第 1 行必须是起始表达式 {start}。"),
    "derivation_step": ("Line {line} is not equal to line {prev}. {detail}", "第 {line} 行与第 {prev} 行不相等。{detail}"),
    "derivation_end": ("The last line must be the target {target}.", "最后一行必须是目标表达式 {target}。"),
    "derivation_ok": ("Every step is valid and the derivation reaches the target.", "每一步都成立，推导到达了目标。"),
    # code
    "sandbox_error": ("The grader could not run your code: its sandbox failed ({detail}). This is a fault of the "
                      "grader, not of your answer: the results of this run mark it as a grader error, not as a "
                      "mistake of yours.",
                      "评分器无法运行你的代码：运行代码的沙箱出错（{detail}）。这是评分器的问题，不是你的答案的问题："
                      "本次运行的结果将其标记为评分器错误，而不是你的错误。"),
    "code_load_failed": ("solution.py could not be loaded: {error}", "无法加载 solution.py：{error}"),
    "code_summary": ("{passed} of {total} tests passed ({points}/{max_points} test points).",
                     "{total} 项测试中通过 {passed} 项（测试分 {points}/{max_points}）。"),
    "code_hidden_failed": ("{name}: failed (a hidden test).", "{name}：未通过（隐藏测试）。"),
    "code_test_passed": ("passed", "通过"),
    "code_mutated": ("argument {arg} was modified in place; functions must not change their inputs (work on a copy).",
                     "第 {arg} 个参数被原地修改了；函数不得修改输入（请在副本上操作）。"),
    "code_not_reproducible": ("the same seed gave different results: draw every random number from the rng argument.",
                              "相同的种子给出了不同的结果：所有随机数都必须从 rng 参数中抽取。"),
    "code_seed_ignored": ("different seeds gave the same result: the rng argument is not used.",
                          "不同的种子给出了相同的结果：没有使用 rng 参数。"),
    "code_warnings": ("numerically unstable: {warnings}", "数值不稳定：{warnings}"),
    "code_missing_function": ("solution.py does not define a function {fn}().", "solution.py 中没有定义函数 {fn}()。"),
    "code_timeout": ("stopped: the call did not finish in time (an endless loop, or far too slow). [{error}]",
                     "已中止：调用没有在限定时间内结束（死循环或过慢）。[{error}]"),
    "code_not_plain": ("the result is not plain data; return numbers or plain NumPy arrays of numbers. [{error}]",
                       "返回值不是普通数据；请返回数值或由数值组成的普通 NumPy 数组。[{error}]"),
    "code_crashed": ("the process ended during this call (exit(), os._exit, or a crash). [{error}]",
                     "进程在此调用中结束（exit()、os._exit 或崩溃）。[{error}]"),
    "code_not_run": ("not run: {error}", "未运行：{error}"),
    "code_raised": ("the function raised {error}", "函数抛出了异常 {error}"),
    "code_wrong_count": ("expected a tuple of {expected} outputs, got {got}.", "应返回包含 {expected} 个输出的元组，实际得到 {got}。"),
    "code_no_source": ("No solution.py was submitted; this part needs the functions {fns}.",
                       "没有提交 solution.py；本小题需要函数 {fns}。"),
    "code_input": ("(input: {input})", "（输入：{input}）"),
    "code_output_n": ("output {n}: ", "第 {n} 个输出："),
    "code_wrong_type": ("expected {expected}, got {got}.", "应为 {expected}，实际为 {got}。"),
    "code_wrong_shape": ("expected shape {expected}, got {got}.", "形状应为 {expected}，实际为 {got}。"),
    "code_not_finite": ("NaN or inf at {where} (got {got}) where the reference is finite.",
                        "在 {where} 处出现 NaN 或 inf（得到 {got}），而参考结果是有限的。"),
    "code_values": ("{n} of {total} values are wrong; the largest error is {max_error}, at {where}: expected {expected}, got {got}.",
                    "{total} 个值中有 {n} 个错误；最大误差为 {max_error}，位于 {where}：期望 {expected}，得到 {got}。"),
    # text
    "text_review": ("Provisional score from the rubric ({found} of {total} key ideas found); an instructor will review this answer.",
                    "按评分要点给出的暂定分数（找到 {total} 个要点中的 {found} 个）；教师将复核此答案。"),
    "text_missing_idea": ("Not found: {idea}", "未找到：{idea}"),
    # classroom (central grading of students' repositories)
    "classroom_no_commit": ("No commit on branch {branch} before the deadline; graded as an empty submission.",
                            "截止时间之前分支 {branch} 上没有提交；按空提交评分。"),
    "classroom_not_regular": ("{file} in commit {commit} is a {kind}, not a regular file; it was not graded.",
                              "提交 {commit} 中的 {file} 是{kind}，不是普通文件；未评分。"),
    "classroom_too_large": ("{file} is {size} bytes; at most {limit} are read, so it was not graded.",
                            "{file} 大小为 {size} 字节；最多读取 {limit} 字节，因此未评分。"),
    "classroom_status": ("nngrade: {score}/{max}", "nngrade 得分：{score}/{max}"),
    "classroom_status_error": ("nngrade: {score}/{max} so far; {n} parts hit a grader error and will be regraded",
                               "nngrade：目前 {score}/{max}；{n} 个小题遇到评分器错误，将重新评分"),
}


def text(key: str, lang: str = "en", **params) -> str:
    """The message ``key`` in ``lang`` (falls back to English), formatted."""
    en, zh = CATALOG[key]
    template = zh if lang == "zh" else en
    return template.format(**params)


def pick(value, lang: str) -> str:
    """A bilingual field ({en, zh} or a plain string) in ``lang``."""
    if isinstance(value, dict):
        return value.get(lang) or value.get("en") or ""
    return "" if value is None else str(value)

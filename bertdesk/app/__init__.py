"""The application layer: the jobs the app runs, without Qt.

Each job is a plain function of plain data that takes ``on_event`` (progress, logs, previews) and
``cancel`` as keyword arguments and returns plain data (dicts, DataFrames, numpy arrays). The GUI
only starts them in a worker (``gui.workers.JobRunner``) and shows what they return; the tests
call them directly.

  sources    read a data file for the preview (tables, CoNLL, SQuAD)
  columns    check the chosen task and columns on top of ``core.prepare.prepare_data``
  training   fine-tune in a child process; the device training would use
  results    the held-out predictions of a model folder; attention maps ("Try it")
  labeling   label a file through ``core.labeling`` (streaming, atomic), export the result
  review     a sheet's labels reviewed: suspicious labels, rows to label next, retraining
  models     export a model folder for other tools
  predictors the loaded models, one at a time
"""

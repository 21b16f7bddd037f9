"""The Qt-free core of bertdesk: data, tasks, training, inference, metrics.

Nothing under this package imports Qt; the GUI and the CLI are thin front ends over it.
"""

"""Lesson building blocks: set-up and provision objects, cards, the course's charts, explorations,
and the course itself (order, navigation, timings). Imports the data and quiz layers, never the
teacher tools."""

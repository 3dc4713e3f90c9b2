"""Editors' operations: the one service layer every change goes through (with an audit row)."""

"""(filled by its area; see ARCHITECTURE.md)"""

"""What both servers read: the clinic's profile, its articles, the FAQ topics and the conditions a provider is
suggested for. Plain Python (no Rasa), so the action server's image and the Rasa server's share it."""

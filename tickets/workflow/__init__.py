"""A ticket's life: the state machine of tonghua 第十三条 plus wuhai's review, and its records."""

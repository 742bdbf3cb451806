"""The hotline knowledge base (知识库, zhanjiang 第十八条): articles, word index, deadlines."""

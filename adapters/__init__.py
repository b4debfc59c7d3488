"""Platform adapters: each turns the neutral bot.reply.Reply into one SDK's calls."""

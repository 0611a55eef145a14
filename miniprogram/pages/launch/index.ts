Component({
  data: { active: 'mobile' },
  methods: {
    onLoad() {
      this.setData({ active: 'mobile' })
    },
  },
})
